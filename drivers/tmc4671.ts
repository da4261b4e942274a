// Driver for the Trinamic (Analog Devices) TMC4671 field-oriented motor controller. The chip commutates
// and drives the PWM in hardware from the rotor angle (Hall sensors), in one of two modes:
// - torque mode (motion mode 1): the chip runs its own PI current loop every PWM period; the firmware
//   sets it up (gains, limits: setupTorqueLoop) and writes the torque-axis current target
//   (PID_TORQUE_FLUX_TARGET) when it runs its impedance law;
// - voltage mode (UQ_UD_EXT, motion mode 8): the firmware writes the torque-axis voltage each period
//   and closes the current loop itself.
// Either way it reads the torque-axis current back (PID_TORQUE_FLUX_ACTUAL).
// Register names and addresses are the datasheet's: Trinamic / Analog Devices TMC4671 datasheet,
// "Register Map";
// SPI: 40-bit datagrams, an address byte (bit 7 set to write) and 32 data bits MSB first; a read
// returns the register in the same datagram (section "SPI Interface").
//
// Called directly by the control loop (one write and one read per period): a DeviceScript program
// may send only about 50 Jacdac packets a second. The bus is injected (SpiBus, as for the encoder).
import { hex, modifyRegister, type SpiBus } from "./registers"

export const TMC4671_CHIPINFO_DATA = 0x00
export const TMC4671_CHIPINFO_ADDR = 0x01
export const TMC4671_ADC_I0_SCALE_OFFSET = 0x09
export const TMC4671_PWM_POLARITIES = 0x17
/** PWM period in 100 MHz clock cycles minus one [reset 0x00000F9F: 25 kHz] */
export const TMC4671_PWM_MAXCNT = 0x18
/** bits 7:0 PWM_CHOP: 0 off (all low), 7 centred PWM for FOC */
export const TMC4671_PWM_SV_CHOP = 0x1a
/** bits 23:16 MOTOR_TYPE (3 three-phase BLDC), 15:0 N_POLE_PAIRS */
export const TMC4671_MOTOR_TYPE_N_POLE_PAIRS = 0x1b
/** bits 31:16 UQ_EXT, 15:0 UD_EXT, signed 16-bit */
export const TMC4671_UQ_UD_EXT = 0x24
/** CONFIG_DATA / CONFIG_ADDR: indirect configuration (ADVANCED_PI_REPRESENT is address 62) */
export const TMC4671_CONFIG_DATA = 0x4d
export const TMC4671_CONFIG_ADDR = 0x4e
/** PHI_E_SELECTION: 5 Hall sensors */
export const TMC4671_PHI_E_SELECTION = 0x52
/** bits 31:16 PID_FLUX_P, 15:0 PID_FLUX_I (Q8.8 with ADVANCED_PI_REPRESENT 0) */
export const TMC4671_PID_FLUX_P_FLUX_I = 0x54
/** bits 31:16 PID_TORQUE_P, 15:0 PID_TORQUE_I (Q8.8 with ADVANCED_PI_REPRESENT 0) */
export const TMC4671_PID_TORQUE_P_TORQUE_I = 0x56
/** PIDOUT_UQ_UD_LIMITS: the largest |U_dq|, 0 ... 32767 (32768 = V_M) [reset 0x5A81] */
export const TMC4671_PIDOUT_UQ_UD_LIMITS = 0x5d
/** PID_TORQUE_FLUX_LIMITS: the largest torque and flux targets, Iq counts [reset 0x7FFF] */
export const TMC4671_PID_TORQUE_FLUX_LIMITS = 0x5e
/** bits 7:0 MODE_MOTION: 0 stopped, 1 torque, 8 UQ_UD_EXT (voltage mode); bit 31 MODE_PID_TYPE (1: advanced PI) */
export const TMC4671_MODE_RAMP_MODE_MOTION = 0x63
/** bits 31:16 PID_TORQUE_TARGET (Iq), 15:0 PID_FLUX_TARGET (Id), signed 16-bit counts */
export const TMC4671_PID_TORQUE_FLUX_TARGET = 0x64
/** bits 31:16 PID_TORQUE_ACTUAL (Iq), 15:0 PID_FLUX_ACTUAL (Id), signed 16-bit ADC-scaled units */
export const TMC4671_PID_TORQUE_FLUX_ACTUAL = 0x69
/** bit 15 ENABLE_IN_RAW: the enable input (low: the power stage is disabled, e.g. by the gate driver) */
export const TMC4671_INPUTS_RAW = 0x76
export const TMC4671_STATUS_FLAGS = 0x7c

export const TMC4671_SI_TYPE = 0 // CHIPINFO_ADDR value selecting SI_TYPE
export const TMC4671_SI_TYPE_VALUE = 0x34363731 // "4671" in ASCII
export const TMC4671_MOTOR_TYPE_BLDC = 3
export const TMC4671_PWM_CHOP_CENTERED_FOC = 7
export const TMC4671_PHI_E_HALL = 5
export const TMC4671_MOTION_STOPPED = 0
export const TMC4671_MOTION_TORQUE = 1
export const TMC4671_MOTION_UQ_UD_EXT = 8
/** MODE_RAMP_MODE_MOTION bit 31: the advanced (sequential) PI structure for every loop */
export const TMC4671_MODE_PID_TYPE_ADVANCED = 0x80000000
/** CONFIG_ADDR of ADVANCED_PI_REPRESENT: bit 0 CURRENT_I_n, bit 1 CURRENT_P_n (0: Q8.8, 1: Q4.12) */
export const TMC4671_CONFIG_ADVANCED_PI_REPRESENT = 62
export const TMC4671_INPUTS_RAW_ENABLE_IN = 0x8000
/** the chip's PWM counter clock */
export const TMC4671_PWM_CLOCK_HZ = 100e6
/** UQ_EXT full scale: ±32767 is the full PWM range on the torque axis */
export const TMC4671_U_FULL_SCALE = 32767

const WRITE_BIT = 0x80

/** 32 bits at `offset`, most significant byte first (DeviceScript formats are little-endian only) */
export function getU32BE(buf: Buffer, offset: number): number {
    let v = 0
    for (let i = 0; i < 4; i++) v = v * 256 + buf.getAt(offset + i, "u8")
    return v
}

export function setU32BE(buf: Buffer, offset: number, value: number) {
    for (let i = 3; i >= 0; i--) {
        buf.setAt(offset + i, "u8", value & 0xff)
        value = value >>> 8
    }
}

/** a signed 16-bit field */
function s16(v: number): number {
    v = v & 0xffff
    return v >= 0x8000 ? v - 0x10000 : v
}

export class TMC4671 {
    private readonly tx = Buffer.alloc(5)

    constructor(private readonly bus: SpiBus) {}

    async readRegister(addr: number): Promise<number> {
        this.tx.setAt(0, "u8", addr & 0x7f)
        setU32BE(this.tx, 1, 0)
        const rx = await this.bus.transfer(this.tx)
        return getU32BE(rx, 1)
    }

    async writeRegister(addr: number, value: number): Promise<void> {
        this.tx.setAt(0, "u8", WRITE_BIT | (addr & 0x7f))
        setU32BE(this.tx, 1, value)
        await this.bus.transfer(this.tx)
    }

    /** torque-axis voltage in full-scale units (±1), d axis 0 */
    async driveUq(fraction: number): Promise<void> {
        const clamped = Math.max(-1, Math.min(1, fraction))
        await this.writeRegister(TMC4671_UQ_UD_EXT, (Math.round(clamped * TMC4671_U_FULL_SCALE) & 0xffff) << 16)
    }

    /** torque-axis current in ADC-scaled counts (signed) */
    async torqueCurrentCounts(): Promise<number> {
        return s16((await this.readRegister(TMC4671_PID_TORQUE_FLUX_ACTUAL)) >> 16)
    }

    /**
     * Torque mode with the chip's own current loop: the advanced PI with P and I in Q8.8 (the same
     * gains for the flux axis), the target limited to `torqueLimitCounts` and the voltage to
     * `uqLimitCounts`, the target 0. (Q formats and the PI's equations: devs/joint/chip-current-loop.ts.)
     */
    async setupTorqueLoop(p: number, i: number, torqueLimitCounts: number, uqLimitCounts: number): Promise<void> {
        await this.writeRegister(TMC4671_MODE_RAMP_MODE_MOTION, TMC4671_MOTION_STOPPED)
        await this.writeRegister(TMC4671_CONFIG_ADDR, TMC4671_CONFIG_ADVANCED_PI_REPRESENT)
        await this.writeRegister(TMC4671_CONFIG_DATA, 0)
        const gains = ((p & 0xffff) << 16) | (i & 0xffff)
        await this.writeRegister(TMC4671_PID_TORQUE_P_TORQUE_I, gains)
        await this.writeRegister(TMC4671_PID_FLUX_P_FLUX_I, gains)
        await this.writeRegister(TMC4671_PID_TORQUE_FLUX_LIMITS, torqueLimitCounts & 0xffff)
        await this.writeRegister(TMC4671_PIDOUT_UQ_UD_LIMITS, uqLimitCounts & 0xffff)
        await this.writeRegister(TMC4671_PID_TORQUE_FLUX_TARGET, 0)
        await this.writeRegister(TMC4671_MODE_RAMP_MODE_MOTION, (TMC4671_MODE_PID_TYPE_ADVANCED | TMC4671_MOTION_TORQUE) >>> 0)
    }

    /** the torque-axis current target in Iq counts (signed), flux target 0 */
    async setTorqueTarget(counts: number): Promise<void> {
        await this.writeRegister(TMC4671_PID_TORQUE_FLUX_TARGET, (counts & 0xffff) << 16)
    }

    /** false when the enable input is low: the power stage is off whatever the firmware commands */
    async powerStageEnabled(): Promise<boolean> {
        return ((await this.readRegister(TMC4671_INPUTS_RAW)) & TMC4671_INPUTS_RAW_ENABLE_IN) !== 0
    }
}

export interface TMC4671Options {
    bus: SpiBus
    polePairs: number
    pwmHz: number
}

/** Checks the chip type, configures a three-phase BLDC on Hall sensors, centred PWM and voltage mode at 0 V. */
export async function startTMC4671(options: TMC4671Options): Promise<TMC4671> {
    const foc = new TMC4671(options.bus)
    await foc.writeRegister(TMC4671_CHIPINFO_ADDR, TMC4671_SI_TYPE)
    const type = await foc.readRegister(TMC4671_CHIPINFO_DATA)
    if (type !== TMC4671_SI_TYPE_VALUE) throw new Error(`TMC4671: CHIPINFO SI_TYPE reads ${hex(type)}, expected ${hex(TMC4671_SI_TYPE_VALUE)} ("4671")`)
    await foc.writeRegister(TMC4671_MODE_RAMP_MODE_MOTION, TMC4671_MOTION_STOPPED)
    await foc.writeRegister(TMC4671_MOTOR_TYPE_N_POLE_PAIRS, (TMC4671_MOTOR_TYPE_BLDC << 16) | (options.polePairs & 0xffff))
    await foc.writeRegister(TMC4671_PWM_MAXCNT, Math.round(TMC4671_PWM_CLOCK_HZ / options.pwmHz) - 1)
    await foc.writeRegister(TMC4671_PHI_E_SELECTION, TMC4671_PHI_E_HALL)
    await foc.writeRegister(TMC4671_UQ_UD_EXT, 0)
    await modifyRegister(foc, TMC4671_MODE_RAMP_MODE_MOTION, 0xff, TMC4671_MOTION_UQ_UD_EXT)
    await modifyRegister(foc, TMC4671_PWM_SV_CHOP, 0xff, TMC4671_PWM_CHOP_CENTERED_FOC)
    return foc
}
