// The failure codes of the browser model (Chromium's CorsError names) and the context a failure
// is explained in; shared by the messages, each engine's words and the fixes.

import type { Engine } from './engines.js';

/** Chromium's network::mojom::CorsError names (without the k), for the failures the model knows. */
export const CORS_ERROR_CODES = [
  'MissingAllowOriginHeader',
  'MultipleAllowOriginValues',
  'InvalidAllowOriginValue',
  'AllowOriginMismatch',
  'WildcardOriginNotAllowed',
  'InvalidAllowCredentials',
  'PreflightMissingAllowOriginHeader',
  'PreflightMultipleAllowOriginValues',
  'PreflightInvalidAllowOriginValue',
  'PreflightAllowOriginMismatch',
  'PreflightWildcardOriginNotAllowed',
  'PreflightInvalidAllowCredentials',
  'PreflightInvalidStatus',
  'PreflightDisallowedRedirect',
  'InvalidAllowMethodsPreflightResponse',
  'InvalidAllowHeadersPreflightResponse',
  'MethodDisallowedByPreflightResponse',
  'HeaderDisallowedByPreflightResponse',
  'RedirectContainsCredentials',
  'CorsDisabledScheme',
] as const;

export type CorsErrorCode = (typeof CORS_ERROR_CODES)[number];

/** A failure as the model found it: the code and the value Chromium quotes (its "hint"). */
export interface CorsFailureCore {
  readonly code: CorsErrorCode;
  readonly hint: string;
  /**
   * For a refused request header: every refused name, sorted. Chromium names one of them, picked
   * by the order of its internal header table, which a model cannot know; `hint` is the first.
   */
  readonly refused?: readonly string[];
  /** For a redirect refused for its userinfo: the Location (Chromium's message leaves it out). */
  readonly location?: string;
  /**
   * The engine's own name for the failure where the code does not decide it: Firefox names an
   * allow-origin sent as several header lines CORSMultipleAllowOriginNotAllowed, and one line
   * holding a comma CORSAllowOriginNotMatchingOrigin; Chromium calls both MultipleAllowOriginValues.
   */
  readonly engineKey?: string;
}

/** What a request looked like when it failed: the facts its messages are told from. */
export interface FailureContext {
  /** The URL the failing response came from. */
  readonly url: string;
  /** The first URL, when redirects happened. */
  readonly initialUrl: string;
  /** The page's origin (Chromium's console names it even when the request carried `null`). */
  readonly origin: string;
  /** True when a redirect chain tainted the request, so it carried `Origin: null`. */
  readonly tainted?: boolean;
  readonly method: string;
  readonly credentialed: boolean;
  /** `fetch` or `XMLHttpRequest`: some messages differ. */
  readonly initiator: 'fetch' | 'xhr';
  /** The status of the failing response, when there was one. */
  readonly status?: number;
  /** The request's CORS-unsafe header names (for fixes that list what to allow). */
  readonly requestHeaders?: readonly string[];
  /** The engine whose words the failure is told in; Chromium's by default. */
  readonly engine?: Engine;
  /**
   * Where the failure was found: on the preflight, on a preflight answered with a redirect, or on
   * the request (or a redirect it got). Firefox prints other lines for each.
   */
  readonly stage?: 'preflight' | 'preflight-redirect' | 'request';
  /** For a failure on a redirect: the URL it pointed to. */
  readonly redirectTo?: string;
}

/** The failures found on the preflight answer, named with Chromium's Preflight prefix. */
const PREFLIGHT_VARIANTS: ReadonlySet<CorsErrorCode> = new Set(
  CORS_ERROR_CODES.filter((code) => code.startsWith('Preflight')),
);

/** The code without its Preflight prefix: the same fault, found on the preflight. */
export function baseCode(code: CorsErrorCode): string {
  return PREFLIGHT_VARIANTS.has(code) &&
    code !== 'PreflightInvalidStatus' &&
    code !== 'PreflightDisallowedRedirect'
    ? code.slice('Preflight'.length)
    : code;
}

export function isPreflightFailure(code: CorsErrorCode): boolean {
  return PREFLIGHT_VARIANTS.has(code);
}
