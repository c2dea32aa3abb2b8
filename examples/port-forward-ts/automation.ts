// Runs program.ts without a language host: the Automation API's inline program runs in this
// process and hands the engine its address, so only the `pulumi` CLI is needed on PATH.
// The project (Pulumi.yaml) and the stack's configuration are those of the working directory.
//
//   node bin/automation.js STACK preview|up|refresh|destroy [--expect-no-changes]
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { portForward } from "./program";

async function main(argv: string[]): Promise<void> {
    const [stackName, operation, ...flags] = argv;
    const expectNoChanges = flags.includes("--expect-no-changes");
    const stack = await LocalWorkspace.selectStack(
        { stackName, projectName: "wgforward-port-forward-ts", program: portForward },
        { workDir: process.cwd() },
    );
    const onOutput = (out: string) => process.stdout.write(out);
    switch (operation) {
        case "preview":
            await stack.preview({ onOutput, expectNoChanges });
            break;
        case "up":
            await stack.up({ onOutput, expectNoChanges });
            break;
        case "refresh":
            await stack.refresh({ onOutput, expectNoChanges });
            break;
        case "destroy":
            await stack.destroy({ onOutput });
            break;
        default:
            throw new Error(`unknown operation ${operation}: preview, up, refresh or destroy`);
    }
}

main(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});
