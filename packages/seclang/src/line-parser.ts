import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import {
  allTokens,
  DirectiveName,
  DqClose,
  DqOpen,
  DqText,
  EndOfLine,
  selfChecks,
  SqClose,
  SqOpen,
  SqText,
  Unquoted,
} from './lexer';

/** One argument as the lexer saw it; `open`/`text`/`close` are set for quoted ones. */
export interface RawArg {
  /** `"` or `'` for quoted arguments. */
  quote?: '"' | "'";
  /** The unquoted word, or the text between the quotes (absent for `""`). */
  text?: IToken;
  open?: IToken;
  /** Absent when the quote is unterminated. */
  close?: IToken;
}

/** A directive before its arguments are interpreted: the name token and the argument tokens. */
export interface RawDirective {
  name: IToken;
  args: RawArg[];
}

/**
 * The line grammar: `directive := NAME arg* (EOL | EOF)`, `arg := WORD | OPEN TEXT? CLOSE?`.
 * It cannot fail on anything the lexer produces, but recovery stays enabled so that a future grammar change
 * degrades into diagnostics rather than exceptions.
 */
class LineParser extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, { recoveryEnabled: true, skipValidations: !selfChecks });
    this.performSelfAnalysis();
  }

  public config = this.RULE('config', (): RawDirective[] => {
    const directives: RawDirective[] = [];
    this.MANY(() => {
      directives.push(this.SUBRULE(this.directive));
    });
    return directives;
  });

  private directive = this.RULE('directive', (): RawDirective => {
    const name = this.CONSUME(DirectiveName);
    const args: RawArg[] = [];
    this.MANY(() => {
      args.push(this.SUBRULE(this.argument));
    });
    this.OPTION(() => this.CONSUME(EndOfLine));
    return { name, args };
  });

  private argument = this.RULE('argument', (): RawArg => {
    return this.OR([
      { ALT: () => ({ text: this.CONSUME(Unquoted) }) },
      {
        ALT: () => {
          const open = this.CONSUME(DqOpen);
          const text = this.OPTION1(() => this.CONSUME(DqText));
          const close = this.OPTION2(() => this.CONSUME(DqClose));
          return opt({ quote: '"', open }, text, close);
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME(SqOpen);
          const text = this.OPTION3(() => this.CONSUME(SqText));
          const close = this.OPTION4(() => this.CONSUME(SqClose));
          return opt({ quote: "'", open }, text, close);
        },
      },
    ]);
  });
}

/** Builds a RawArg without `undefined`-valued keys (the OPTIONs return undefined when not taken). */
function opt(arg: RawArg, text: IToken | undefined, close: IToken | undefined): RawArg {
  if (text !== undefined) arg.text = text;
  if (close !== undefined) arg.close = close;
  return arg;
}

/** One instance, reused: Chevrotain parsers are built once and fed new input. */
export const lineParser = new LineParser();

export interface LineParseResult {
  directives: RawDirective[];
  /** Parser errors (none are expected; kept so that nothing is ever swallowed). */
  errors: Array<{ message: string; token: IToken }>;
}

export function parseLines(tokens: IToken[]): LineParseResult {
  lineParser.input = tokens;
  const parsed: Array<RawDirective | undefined> = lineParser.config() ?? [];
  const errors = lineParser.errors.map((e) => ({ message: e.message, token: e.token }));
  // After a recovery, a rule may yield undefined or tokens invented by the parser (no offsets): drop those.
  const real = (t: IToken | undefined) => t === undefined || Number.isFinite(t.startOffset);
  const directives = parsed.filter(
    (d): d is RawDirective =>
      d !== undefined &&
      d.name !== undefined &&
      Number.isFinite(d.name.startOffset) &&
      d.args.every((a) => real(a.text) && real(a.open) && real(a.close) && (a.quote !== undefined || a.text !== undefined)),
  );
  return { directives, errors };
}
