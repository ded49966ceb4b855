/** A thrown API error: routes throw it, the API wrapper turns it into the door's error response. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly title?: string,
  ) {
    super(message);
  }
}
