/** A reason a service cannot start that the operator can fix: printed as one line, without a stack. */
export class StartupError extends Error {
  override readonly name: string = 'StartupError';
}
