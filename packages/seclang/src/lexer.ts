import { createToken, Lexer, type TokenType } from 'chevrotain';

/**
 * The SecLang lexer works on the physical text, so every token keeps its real offset; the mini-languages
 * inside an argument are mapped back through escapes and continuations later (see `source-text.ts`).
 *
 * Modes, with transitions instead of nesting so that a line break inside an unterminated quote can return
 * straight to the start of a line:
 *   line   (start of a line)  blanks, comments, a directive name -> args
 *   args   (after the name)   blanks, continuations, unquoted words, `"` -> dq, `'` -> sq, newline -> line
 *   dq/sq  (inside a quote)   text, the closing quote -> args, a newline (unterminated) -> line
 *
 * Every character is accepted by some token in every mode, so the lexer never reports errors and random
 * input costs one token per word. Line continuation (`\` + newline) is part of the token it appears in and is
 * removed when the value is extracted, which joins the next physical line verbatim, as Apache does.
 */

/** Characters Apache's `isspace` treats as blanks, minus the line feed that ends a line. */
const BLANK = ' \\t\\f\\v\\r';

export const Blank = createToken({ name: 'Blank', pattern: new RegExp(`[${BLANK}]+`), group: Lexer.SKIPPED });
export const Continuation = createToken({
  name: 'Continuation',
  pattern: /\\\r?\n/,
  line_breaks: true,
  group: Lexer.SKIPPED,
});
export const BlankLine = createToken({ name: 'BlankLine', pattern: /\n/, line_breaks: true, group: Lexer.SKIPPED });
/** A comment runs to the end of the logical line: a trailing `\` continues it (Apache and ModSecurity agree). */
export const Comment = createToken({
  name: 'Comment',
  pattern: /#(?:[^\n\\]|\\\r?\n|\\)*/,
  line_breaks: true,
  group: 'comments',
});
export const DirectiveName = createToken({
  name: 'DirectiveName',
  pattern: new RegExp(`(?:[^${BLANK}\\n\\\\#]|\\\\)(?:[^${BLANK}\\n\\\\]|\\\\\\r?\\n|\\\\)*`),
  line_breaks: true,
  push_mode: 'args',
});

/** Ends a directive: the parser sees these (both newline kinds share this category). */
export const EndOfLine = createToken({ name: 'EndOfLine', pattern: Lexer.NA });
export const ArgsNewline = createToken({
  name: 'ArgsNewline',
  pattern: /\n/,
  line_breaks: true,
  pop_mode: true,
  categories: [EndOfLine],
});
export const Unquoted = createToken({
  name: 'Unquoted',
  pattern: new RegExp(`(?:[^${BLANK}\\n\\\\"']|\\\\\\r?\\n|\\\\)(?:[^${BLANK}\\n\\\\]|\\\\\\r?\\n|\\\\)*`),
  line_breaks: true,
});
export const DqOpen = createToken({ name: 'DqOpen', pattern: /"/, pop_mode: true, push_mode: 'dq' });
export const SqOpen = createToken({ name: 'SqOpen', pattern: /'/, pop_mode: true, push_mode: 'sq' });

/**
 * Quoted text: a backslash pairs with the next character, so `\"` never closes the string; a backslash
 * right before a line break is a continuation even after another backslash (Apache joins lines first).
 */
export const DqText = createToken({
  name: 'DqText',
  pattern: /(?:[^"\\\n]|\\\r?\n|\\(?=\\\r?\n)|\\[^\n]|\\(?![^]))+/,
  line_breaks: true,
});
export const SqText = createToken({
  name: 'SqText',
  pattern: /(?:[^'\\\n]|\\\r?\n|\\(?=\\\r?\n)|\\[^\n]|\\(?![^]))+/,
  line_breaks: true,
});
export const DqClose = createToken({ name: 'DqClose', pattern: /"/, pop_mode: true, push_mode: 'args' });
export const SqClose = createToken({ name: 'SqClose', pattern: /'/, pop_mode: true, push_mode: 'args' });
/** A line break inside quotes: the quote is unterminated and the directive ends here. */
export const QuoteNewline = createToken({
  name: 'QuoteNewline',
  pattern: /\n/,
  line_breaks: true,
  pop_mode: true,
  categories: [EndOfLine],
});

export const allTokens: TokenType[] = [
  Blank,
  Continuation,
  BlankLine,
  Comment,
  DirectiveName,
  EndOfLine,
  ArgsNewline,
  Unquoted,
  DqOpen,
  SqOpen,
  DqText,
  SqText,
  DqClose,
  SqClose,
  QuoteNewline,
];

/**
 * Grammar and lexer self-checks cost time at start-up; they run when asked for: `RAMPART_GRAMMAR_CHECKS=1`, or
 * `globalThis.__rampartGrammarChecks = true` before this module loads (this project's jest setup; a global and
 * not a variable of the environment, so that the processes tests start do not inherit it). Not on
 * `NODE_ENV=test`: an application's own test suite would run them too, and on Node 20 they need
 * `Object.groupBy`, which Node 20 lacks.
 */
export const selfChecks =
  process.env['RAMPART_GRAMMAR_CHECKS'] === '1' || (globalThis as { __rampartGrammarChecks?: unknown }).__rampartGrammarChecks === true;

export const secLangLexer = new Lexer(
  {
    modes: {
      line: [Blank, Continuation, BlankLine, Comment, DirectiveName],
      args: [Blank, Continuation, ArgsNewline, DqOpen, SqOpen, Unquoted],
      dq: [DqText, DqClose, QuoteNewline],
      sq: [SqText, SqClose, QuoteNewline],
    },
    defaultMode: 'line',
  },
  {
    positionTracking: 'full',
    // Only `\n` ends a line, so that locations agree with `source-text.ts` (a lone `\r` is a blank).
    lineTerminatorsPattern: /\n/g,
    lineTerminatorCharacters: ['\n'],
    skipValidations: !selfChecks,
    ensureOptimizations: false,
  },
);
