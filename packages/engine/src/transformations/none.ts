import { defineTransformation } from './types';

/**
 * Leaves the value as it is. In a rule, `t:none` also clears the transformations inherited from
 * SecDefaultAction and earlier `t:` actions; that reset is the rule compiler's job, so as a function it is
 * the identity.
 * @example SecRule ARGS "@rx <script" "id:1,phase:2,t:none,t:lowercase,deny"
 */
export const none = defineTransformation({
  name: 'none',
  transform(input) {
    return input;
  },
});
