import { defineOperator } from './types';
import { OperatorCompileError } from './errors';
import { IpSet } from './ip-address';

/**
 * Matches when the input is an IP address inside one of the comma-separated IPv4/IPv6 addresses and CIDR
 * networks of the argument. Input that is not an address does not match. A malformed entry is a load error.
 * @example SecRule REMOTE_ADDR "@ipMatch 127.0.0.1,::1,10.0.0.0/8" "id:905100,phase:1,pass,nolog,ctl:ruleEngine=Off"
 */
export const ipMatch = defineOperator({
  name: 'ipMatch',
  compile(argument) {
    const set = new IpSet();
    for (const raw of argument.text.split(',')) {
      const entry = raw.trim();
      if (entry === '') continue;
      const error = set.add(entry);
      if (error !== undefined) throw new OperatorCompileError('bad-argument', `@ipMatch: ${error}`);
    }
    if (set.size === 0) throw new OperatorCompileError('bad-argument', '@ipMatch needs at least one address');
    return (input) => set.has(input);
  },
});
