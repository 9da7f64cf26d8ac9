import { ApiError } from '../errors.js';

/**
 * A patch that decoded fine but cannot be applied to the object: a JSON patch
 * whose `test` fails or whose path does not exist, a strategic merge patch
 * holding a list of lists. The apiserver answers these with
 * `errors.NewGenericServerResponse(422, …, isUnexpectedResponse=false)`, which
 * keeps only the fixed message below and drops the explanation — kubectl then
 * prints `The request is invalid: the server rejected our request due to an
 * error in our request`. The explanation stays on `detail` for skiff's logs.
 */
export class UnprocessablePatchError extends ApiError {
  readonly code = 422;
  readonly reason = 'Invalid';
  readonly detail: string;

  constructor(detail: string) {
    super('the server rejected our request due to an error in our request', {});
    this.detail = detail;
  }
}
