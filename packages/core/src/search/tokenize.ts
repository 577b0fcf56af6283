/** The tokens of the run search language; positions are 1-based columns of the filter text. */
export type TokenKind =
  | "word"
  | "backtick"
  | "dquote"
  | "squote"
  | "number"
  | "op"
  | "lparen"
  | "rparen"
  | "comma"
  | "eof";

export interface Token {
  kind: TokenKind;
  /** The text as written (quotes included). */
  text: string;
  /** A quoted token's content between its quotes (MLflow keeps it as written: no unescaping). */
  value: string;
  position: number;
  /** The 1-based column just after the token (to tell `metrics.`a b`` from `metrics. `a b``). */
  end: number;
}

/** A filter or order_by that cannot be read: names the 1-based column and the offending token. */
export class ParseError extends Error {
  override readonly name = "ParseError";
  constructor(
    message: string,
    readonly position: number,
    readonly token: string,
  ) {
    super(message);
  }
}

export const nearToken = (token: Token) => (token.kind === "eof" ? "the end" : `'${token.text}'`);

export function syntaxError(token: Token, expected: string): ParseError {
  return new ParseError(
    `Syntax error at position ${token.position} near ${nearToken(token)}: expected ${expected}`,
    token.position,
    token.kind === "eof" ? "" : token.text,
  );
}

const WORD = /[A-Za-z_][A-Za-z0-9_.]*/y;
const NUMBER = /[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/y;
const OP = /!=|<=|>=|=|<|>/y;
/** As sqlparse (MLflow's parser) reads them: a doubled quote or a backslash-quote does not end the string. */
const QUOTED: Record<string, RegExp> = {
  "'": /'(?:''|\\'|[^'])*'/y,
  '"': /"(?:""|\\"|[^"])*"/y,
  "`": /`(?:``|[^`])*`/y,
};
const PATTERNS: [TokenKind, RegExp][] = [
  ["number", NUMBER],
  ["word", WORD],
  ["op", OP],
];
const QUOTE_KIND: Record<string, TokenKind> = { "'": "squote", '"': "dquote", "`": "backtick" };
const SINGLE: Record<string, TokenKind> = { "(": "lparen", ")": "rparen", ",": "comma" };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, raw: string, value = raw) =>
    tokens.push({ kind, text: raw, value, position: i + 1, end: i + raw.length + 1 });
  const match = (re: RegExp) => {
    re.lastIndex = i;
    return re.exec(text)?.[0];
  };
  /** The kind and text of the token starting at i (with character c), if any. */
  const read = (c: string): [TokenKind, string] | undefined => {
    if (c in QUOTED) {
      const quoted = match(QUOTED[c] as RegExp);
      if (!quoted) {
        throw new ParseError(`Syntax error at position ${i + 1}: the string starting here is not closed`, i + 1, c);
      }
      return [QUOTE_KIND[c] as TokenKind, quoted];
    }
    if (c in SINGLE) return [SINGLE[c] as TokenKind, c];
    for (const [kind, re] of PATTERNS) {
      const found = match(re);
      if (found) return [kind, found];
    }
    return undefined;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const raw = read(c);
    if (!raw) {
      const near = text.slice(i).match(/^[^\s()'"`,]+/)?.[0] ?? c;
      throw new ParseError(
        `Syntax error at position ${i + 1} near '${near}': unexpected character '${c}'`,
        i + 1,
        near,
      );
    }
    const [kind, token] = raw;
    push(kind, token, kind === "squote" || kind === "dquote" || kind === "backtick" ? token.slice(1, -1) : token);
    i += token.length;
  }
  tokens.push({ kind: "eof", text: "", value: "", position: text.length + 1, end: text.length + 1 });
  return tokens;
}
