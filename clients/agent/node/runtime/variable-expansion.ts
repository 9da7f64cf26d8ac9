// Kubernetes' `$(VAR)` expansion (third_party/forked/golang/expansion), used
// for env values and for command and args: `$(NAME)` becomes the value of NAME
// when NAME is defined and stays as written otherwise; `$$` is an escaped `$`;
// any other `$` is kept as it is, as is an unclosed `$(`.

export type VariableLookup = (name: string) => string | undefined;

export function expandVariables(input: string, lookup: VariableLookup): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const dollar = input.indexOf('$', i);
    if (dollar === -1 || dollar === input.length - 1) {
      out += input.slice(i);
      break;
    }
    out += input.slice(i, dollar);
    const next = input[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '(') {
      const close = input.indexOf(')', dollar + 2);
      if (close === -1) {
        out += input.slice(dollar);
        break;
      }
      const name = input.slice(dollar + 2, close);
      const value = name === '' ? undefined : lookup(name);
      out += value ?? `$(${name})`;
      i = close + 1;
    } else {
      out += '$';
      i = dollar + 1;
    }
  }
  return out;
}
