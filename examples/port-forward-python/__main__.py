"""The program's entry point for `pulumi up` with the python language host."""

from port_forward import port_forward

port_forward()
