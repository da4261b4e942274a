/** A mistake in what the user asked for (command, scenario, parameter): reported without a stack trace, exit 2. */
export class UsageError extends Error {}

/**
 * An expected failure that is not a mistake in the command line (a program not built yet, a target
 * that does not answer, a port in use): reported in its own words without a stack trace, exit 1.
 */
export class CommandError extends Error {}
