// A brushless joint actuator modelled on its torque-producing axis (design/plant.md):
//   electrical   L di/dt = V - R i - Ke w_motor          (Ke = Kt, SI units)
//   mechanical   (N^2 Jm + J_load) dw/dt = N eta Kt i - friction(w) + load torque
//   thermal      tau dT/dt = i^2 R R_th - (T - T_ambient)
// The electrical and thermal equations are integrated exactly over each step (constant voltage and
// speed within it), the mechanics semi-implicitly with stiction, so steps of tens of microseconds
// are accurate whatever the firmware's loop rate. Angles and speeds are of the output shaft.

export interface ActuatorParams {
    ktNmPerA: number
    resistanceOhm: number
    inductanceH: number
    rotorInertiaKgM2: number
    gearRatio: number
    gearEfficiency: number
    coulombFrictionNm: number
    viscousFrictionNmsPerRad: number
    thermalResistanceKPerW: number
    thermalTimeConstantS: number
    ambientC: number
    busV: number
}

/** design/plant.md, actuator table */
export const ACTUATORS: Record<"large" | "small", ActuatorParams> = {
    large: {
        ktNmPerA: 0.1,
        resistanceOhm: 0.12,
        inductanceH: 80e-6,
        rotorInertiaKgM2: 2.5e-4,
        gearRatio: 25,
        gearEfficiency: 0.9,
        coulombFrictionNm: 1.0,
        viscousFrictionNmsPerRad: 0.05,
        thermalResistanceKPerW: 1.5,
        thermalTimeConstantS: 60,
        ambientC: 25,
        busV: 48,
    },
    small: {
        ktNmPerA: 0.06,
        resistanceOhm: 0.25,
        inductanceH: 120e-6,
        rotorInertiaKgM2: 8e-5,
        gearRatio: 25,
        gearEfficiency: 0.9,
        coulombFrictionNm: 0.5,
        viscousFrictionNmsPerRad: 0.03,
        thermalResistanceKPerW: 2.5,
        thermalTimeConstantS: 45,
        ambientC: 25,
        busV: 48,
    },
}

export interface ActuatorInputs {
    /** torque-axis voltage the bridge applies while on */
    voltageV: number
    bridgeOn: boolean
    /** output held fixed (blocked-output tests) */
    blocked: boolean
    /** inertia of the load on the output */
    loadInertiaKgM2: number
    /** external torque on the output (gravity, environment) */
    loadTorqueNm: number
}

/** below this speed the output sticks if the torque cannot overcome Coulomb friction */
const STICTION_SPEED_RAD_S = 1e-4

export class Actuator {
    currentA = 0
    angleRad = 0
    velocityRadS = 0
    // (a number from the start, set again in the constructor: a class field declared without one is
    // defined as undefined first, and then every double stored in it is boxed, an allocation a step)
    windingC = 0
    /** torque the motor delivers at the output, before friction */
    motorTorqueNm = 0
    /** voltage actually across the winding in the last step */
    appliedV = 0

    /** the exact discretisation's decay factors for the last step length (steps are mostly one length) */
    private decayDtS = NaN
    private electricalDecay = 0
    private thermalDecay = 0

    constructor(readonly p: ActuatorParams) {
        this.windingC = p.ambientC
    }

    step(dtS: number, u: ActuatorInputs) {
        const p = this.p
        if (dtS !== this.decayDtS) {
            this.decayDtS = dtS
            this.electricalDecay = Math.exp((-p.resistanceOhm * dtS) / p.inductanceH)
            this.thermalDecay = Math.exp(-dtS / p.thermalTimeConstantS)
        }
        const motorSpeed = p.gearRatio * this.velocityRadS
        // a motor controller chip refuses a command that is not a number
        if (u.bridgeOn && Number.isFinite(u.voltageV)) {
            // the bridge cannot apply more than the bus
            this.appliedV = Math.max(-p.busV, Math.min(p.busV, u.voltageV))
            const steadyA = (this.appliedV - p.ktNmPerA * motorSpeed) / p.resistanceOhm
            this.currentA = steadyA + (this.currentA - steadyA) * this.electricalDecay
        } else {
            // bridge off: the winding current dies through the body diodes within microseconds
            this.appliedV = 0
            this.currentA = 0
        }
        this.motorTorqueNm = p.gearRatio * p.gearEfficiency * p.ktNmPerA * this.currentA
        this.stepMechanics(dtS, u)
        const steadyC = p.ambientC + this.currentA * this.currentA * p.resistanceOhm * p.thermalResistanceKPerW
        this.windingC = steadyC + (this.windingC - steadyC) * this.thermalDecay
    }

    private stepMechanics(dtS: number, u: ActuatorInputs) {
        const p = this.p
        if (u.blocked) {
            this.velocityRadS = 0
            return
        }
        const inertia = p.gearRatio * p.gearRatio * p.rotorInertiaKgM2 + u.loadInertiaKgM2
        const drive = this.motorTorqueNm + u.loadTorqueNm - p.viscousFrictionNmsPerRad * this.velocityRadS
        const w = this.velocityRadS
        if (Math.abs(w) < STICTION_SPEED_RAD_S && Math.abs(drive) <= p.coulombFrictionNm) {
            this.velocityRadS = 0
            return
        }
        const direction = Math.abs(w) >= STICTION_SPEED_RAD_S ? Math.sign(w) : Math.sign(drive)
        let next = w + ((drive - p.coulombFrictionNm * direction) / inertia) * dtS
        // friction stops the shaft; it does not reverse it
        if (Math.abs(w) >= STICTION_SPEED_RAD_S && Math.sign(next) !== Math.sign(w) && Math.abs(drive) <= p.coulombFrictionNm)
            next = 0
        this.angleRad += 0.5 * (w + next) * dtS
        this.velocityRadS = next
    }
}
