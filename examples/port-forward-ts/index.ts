// The program's entry point for `pulumi up` with the nodejs language host: a function whose
// result becomes the stack's outputs.
import { portForward } from "./program";

export = portForward;
