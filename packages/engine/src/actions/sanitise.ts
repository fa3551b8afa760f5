import type { ActionDefinition } from './types';
import { defineAction, requireValue } from './types';

/**
 * The sanitise* actions mask data in the audit log. They change nothing in rule processing.
 * @example SecRule ARGS_NAMES "@streq password" "id:1,phase:2,pass,nolog,sanitiseArg:password"
 */
export const sanitiseArg = defineAction({
  name: 'sanitiseArg',
  aliases: ['sanitizeArg'],
  apply(node, rule) {
    rule.sanitise.args.push(requireValue(node));
  },
});

/** @example SecRule REQUEST_HEADERS_NAMES "@streq authorization" "id:2,phase:1,pass,nolog,sanitiseRequestHeader:Authorization" */
export const sanitiseRequestHeader = defineAction({
  name: 'sanitiseRequestHeader',
  aliases: ['sanitizeRequestHeader'],
  apply(node, rule) {
    rule.sanitise.requestHeaders.push(requireValue(node));
  },
});

/** @example SecAction "id:3,phase:3,pass,nolog,sanitiseResponseHeader:Set-Cookie" */
export const sanitiseResponseHeader = defineAction({
  name: 'sanitiseResponseHeader',
  aliases: ['sanitizeResponseHeader'],
  apply(node, rule) {
    rule.sanitise.responseHeaders.push(requireValue(node));
  },
});

/** Masks every variable this rule matched. @example SecRule ARGS "@verifyCC \d{13,16}" "id:4,phase:2,pass,sanitiseMatched" */
export const sanitiseMatched = defineAction({
  name: 'sanitiseMatched',
  aliases: ['sanitizeMatched'],
  apply(_node, rule) {
    rule.sanitise.matched = true;
  },
});

/** Masks only the matched bytes (optionally keeping `first/last` bytes). @example SecRule ARGS "@verifyCC \d{13,16}" "id:5,phase:2,pass,sanitiseMatchedBytes:0/4" */
export const sanitiseMatchedBytes = defineAction({
  name: 'sanitiseMatchedBytes',
  aliases: ['sanitizeMatchedBytes'],
  apply(node, rule) {
    rule.sanitise.matched = true;
    rule.sanitise.matchedBytes = node.value ?? '';
  },
});

export const sanitiseActions: readonly ActionDefinition[] = [
  sanitiseArg,
  sanitiseMatched,
  sanitiseMatchedBytes,
  sanitiseRequestHeader,
  sanitiseResponseHeader,
];
