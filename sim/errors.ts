/** A mistake in what the user asked for (command, scenario, parameter): reported without a stack trace. */
export class UsageError extends Error {}
