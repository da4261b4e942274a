// `--target serial:DEVICE`: a board on a serial port through jacdac-ts' Node serial transport. Thin on
// purpose (no hardware here to test it on): everything above the transport is shared with the other
// targets. Needs the `serialport` package, which is not installed by default (a native module).
import { createNodeWebSerialTransport, type Transport } from "jacdac-ts"
import fs from "node:fs"
import { CommandError, UsageError } from "../../sim/errors.ts"

interface PortInfo {
    path: string
}
interface SerialPortClass {
    new (...args: any[]): object
    list(): Promise<PortInfo[]>
}

export async function serialTransport(device: string): Promise<Transport> {
    if (!fs.existsSync(device)) throw new CommandError(`no serial port ${device}: it does not exist (a board on USB is usually /dev/ttyACM0 or /dev/ttyUSB0)`)
    const moduleName = "serialport"
    let SerialPort: SerialPortClass
    try {
        SerialPort = (await import(moduleName)).SerialPort
    } catch {
        throw new UsageError(`--target serial:${device} needs the 'serialport' package: npm install serialport`)
    }
    let ports: PortInfo[]
    try {
        ports = await SerialPort.list()
    } catch (e) {
        throw new CommandError(`cannot list the serial ports to open ${device}: ${(e as Error).message} (the serialport package lists them with udevadm)`)
    }
    if (!ports.some(p => p.path === device))
        throw new UsageError(`no serial port ${device}; ports present: ${ports.map(p => p.path).join(", ") || "none"}`)
    // the transport connects to every port its class lists: list only the one asked for
    class OnePort extends SerialPort {
        static async list() {
            return (await SerialPort.list()).filter(p => p.path === device)
        }
    }
    return createNodeWebSerialTransport(OnePort)
}
