import { answerBatchRequest } from './answerBatchRequest';
import { answerFileRequest } from './answerFileRequest';
import { answerFileUpload } from './answerFileUpload';
import { answerModelRequest } from './answerModelRequest';
import { errorReply } from './errorReply';
import { estimateInputTokens } from './estimateTokens';
import { jsonReply } from './jsonReply';
import { createMockBatchStore } from './mockBatchStore';
import { createMockFileStore } from './mockFileStore';
import type { MockScript, MockServerOptions, MockTurn, RecordedRequest } from './types';

/** Errors of the mock itself are not worth a client's retries: they would only repeat. */
const noRetry = { 'x-should-retry': 'false' };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function scriptedTurn(script: MockScript, request: RecordedRequest, index: number): MockTurn {
  if (typeof script === 'function') {
    try {
      return script(request, index);
    } catch (error) {
      return errorReply(500, {
        type: 'api_error',
        message: `The mock server's script function threw on POST /v1/messages #${index + 1}: ${describe(error)}`,
        headers: noRetry,
      });
    }
  }
  return (
    script[index] ??
    errorReply(500, {
      type: 'api_error',
      message:
        `The mock server's script has no turn left: this is POST /v1/messages #${index + 1} ` +
        `but the script has ${script.length} turn(s). Add turns to the script given to createMockServer().`,
      headers: noRetry,
    })
  );
}

/**
 * Picks the turn for each request: the API's 400 for a request with a `refusal` (see
 * `requestRefusal`), scripted turns for `POST /v1/messages` (in order, refused requests left
 * out), token counts, the Files API over an in-memory store, the models, the Message Batches, and the API's 404 for
 * anything else.
 */
export function createRouter(script: MockScript, options: MockServerOptions): (request: RecordedRequest) => MockTurn {
  let messages = 0;
  let tokenCounts = 0;
  const files = createMockFileStore(options.files);
  const batches = createMockBatchStore(options.batches);
  return (request) => {
    const route = `${request.method} ${request.path}`;
    if (request.refusal !== undefined) return errorReply(400, { type: 'invalid_request_error', message: request.refusal, headers: noRetry });
    switch (route) {
      case 'POST /v1/messages':
        return scriptedTurn(script, request, messages++);
      case 'POST /v1/messages/count_tokens': {
        const index = tokenCounts++;
        const answer = options.countTokens?.(request, index) ?? estimateInputTokens(request.body);
        return typeof answer === 'number' ? jsonReply({ input_tokens: answer }) : answer;
      }
      case 'POST /v1/files':
        return answerFileUpload(request, files);
      default:
        return (
          answerFileRequest(request, files) ??
          answerModelRequest(request) ??
          answerBatchRequest(request, batches, options.batches) ??
          errorReply(404, {
            message: `The mock server has no route for ${route} (it serves POST /v1/messages, /v1/messages/count_tokens, /v1/files, /v1/models and /v1/messages/batches).`,
            headers: noRetry,
          })
        );
    }
  };
}
