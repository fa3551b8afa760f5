import { UsageError } from './io';

export interface OptionSpec {
  /** `--name`; a flag has no value, a valued option takes the next argument or `--name=value`. */
  name: string;
  short?: string;
  takesValue: boolean;
}

export interface ParsedArgs {
  options: Map<string, string | true>;
  positionals: string[];
}

/** A small getopt: `--opt value`, `--opt=value`, `-o value`, flags, and `--` to end options. */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short !== undefined).map((s) => [s.short as string, s]));
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : arg.slice(1, eq < 0 ? undefined : eq);
    const spec = arg.startsWith('--') ? byLong.get(key) : byShort.get(key);
    if (spec === undefined) throw new UsageError(`unknown option '${arg}'`);
    if (!spec.takesValue) {
      if (eq >= 0) throw new UsageError(`option '--${spec.name}' takes no value`);
      options.set(spec.name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) throw new UsageError(`option '--${spec.name}' needs a value`);
    options.set(spec.name, value);
  }
  return { options, positionals };
}
