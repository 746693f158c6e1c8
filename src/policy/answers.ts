// The header sets a policy answers with, computed once per configuration and, for an allowed
// origin, once per origin: a decision on the hot path is a map lookup, not string building.

import type { Decision, DenialReason } from './types.js';
import type { ResolvedConfig } from './validate.js';

export const ACAO = 'Access-Control-Allow-Origin';
export const ACAC = 'Access-Control-Allow-Credentials';
export const ACAM = 'Access-Control-Allow-Methods';
export const ACAH = 'Access-Control-Allow-Headers';
export const ACEH = 'Access-Control-Expose-Headers';
export const ACMA = 'Access-Control-Max-Age';
export const ACAPN = 'Access-Control-Allow-Private-Network';

/**
 * What a policy answers one origin with. An allowed origin and a refused one have the same shape, so
 * that one map lookup finds either and an actual request needs nothing more than `actual`.
 */
export interface OriginAnswers {
  readonly actual: Decision;
  /**
   * Allowed: the preflight decision when nothing in it depends on the request's headers.
   * Refused: the refusal of any preflight.
   */
  readonly preflight: Decision;
  /** Preflight headers granting origin, credentials, methods, static allowed headers and max-age; null when refused. */
  readonly preflightHeaders: readonly string[] | null;
  /**
   * Allowed preflights by the raw Access-Control-Request-Headers value they answered (for a method the
   * configuration lists): browsers repeat the same few values, so a repeat is one lookup. Filled on demand.
   */
  granted: Map<string, Decision> | null;
}

export function decision(
  kind: Decision['kind'],
  allowed: boolean,
  reason: DenialReason | null,
  headers: readonly string[],
  vary: string | null,
  status: number,
): Decision {
  return Object.freeze({ kind, allowed, reason, headers: Object.freeze(headers), vary, status });
}

/** Builds the answers of one configuration; `forOrigin` is called once per allowed origin value. */
export class AnswerBuilder {
  readonly varyActual: string | null;
  readonly varyPreflight: string | null;
  readonly preflightStatus: number;
  private readonly actualTail: readonly string[];
  private readonly preflightTail: readonly string[];
  private readonly refusals = new Map<string, OriginAnswers>();

  constructor(readonly config: ResolvedConfig) {
    const originDependent = config.origin.type !== 'any' && config.origin.type !== 'disabled';
    this.varyActual = originDependent ? 'Origin' : null;
    const preflightVary: string[] = originDependent ? ['Origin'] : [];
    if (config.allowedHeaders === null) preflightVary.push('Access-Control-Request-Headers');
    if (config.privateNetwork) preflightVary.push('Access-Control-Request-Private-Network');
    this.varyPreflight =
      config.origin.type === 'disabled' || preflightVary.length === 0 ? null : preflightVary.join(', ');
    this.preflightStatus = config.preflightContinue ? 0 : config.optionsSuccessStatus;

    const credentials = config.credentials ? [ACAC, 'true'] : [];
    // Access-Control-Expose-Headers belongs on actual responses only (https://fetch.spec.whatwg.org/#http-responses); max-age and
    // the allow lists on preflights only.
    this.actualTail = [
      ...credentials,
      ...(config.exposedHeaders.value === '' ? [] : [ACEH, config.exposedHeaders.value]),
    ];
    this.preflightTail = [
      ...credentials,
      ...(config.methods.value === '' ? [] : [ACAM, config.methods.value]),
      ...(config.allowedHeaders === null || config.allowedHeaders.value === ''
        ? []
        : [ACAH, config.allowedHeaders.value]),
      ...(config.maxAge === null ? [] : [ACMA, config.maxAge]),
    ];
  }

  /** `allowOrigin` is the Access-Control-Allow-Origin value: '*' or the request's origin. */
  forOrigin(allowOrigin: string): OriginAnswers {
    const preflightHeaders = Object.freeze([ACAO, allowOrigin, ...this.preflightTail]);
    return {
      actual: decision('actual', true, null, [ACAO, allowOrigin, ...this.actualTail], this.varyActual, 0),
      preflight: decision(
        'preflight',
        true,
        null,
        preflightHeaders,
        this.varyPreflight,
        this.preflightStatus,
      ),
      preflightHeaders,
      granted: null,
    };
  }

  /**
   * The answers refusing for `reason`: no CORS header at all (shared, frozen decisions). `handOn`:
   * a preflight is not ended but handed to the next handler, as the `cors` package does when its
   * origin function says no; its Vary then names Origin only, the one thing that decided.
   */
  refusal(reason: DenialReason, handOn = false): OriginAnswers {
    const key = handOn ? `${reason} handed on` : reason;
    let answers = this.refusals.get(key);
    if (answers === undefined) {
      const disabled = reason === 'disabled';
      answers = {
        actual: decision('actual', false, reason, [], disabled ? null : this.varyActual, 0),
        preflight: decision(
          'preflight',
          false,
          reason,
          [],
          handOn ? this.varyActual : this.varyPreflight,
          disabled || handOn ? 0 : this.preflightStatus,
        ),
        preflightHeaders: null,
        granted: null,
      };
      this.refusals.set(key, answers);
    }
    return answers;
  }

  /** A refused preflight (shared, frozen). */
  deniedPreflight(reason: DenialReason): Decision {
    return this.refusal(reason).preflight;
  }
}
