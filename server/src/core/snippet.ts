/**
 * A reader of the LSP / VS Code snippet syntax: $1, ${1}, ${1:default}, ${1|a,b|}, $NAME,
 * ${NAME:default} and the escapes \$ \} \\ (plus \, \| inside choices). The language server
 * turns its snippet completions into plain text with it for clients that cannot take snippets
 * (neovim 0.7's omnifunc stripped the syntax itself and lost the text of repeated placeholders);
 * the snippet tests load the same expansion with the real tools.
 */

export type SnippetNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'tabstop'; readonly index: number; readonly children: SnippetNode[]; readonly choices?: string[] }
  | { readonly kind: 'variable'; readonly name: string; readonly children: SnippetNode[] };

export function parseSnippet(source: string): SnippetNode[] {
  let pos = 0;

  function parseSequence(insidePlaceholder: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flush = (): void => {
      if (text) nodes.push({ kind: 'text', text });
      text = '';
    };
    while (pos < source.length) {
      const ch = source[pos] as string;
      if (ch === '\\' && pos + 1 < source.length && '$}\\'.includes(source[pos + 1] as string)) {
        text += source[pos + 1];
        pos += 2;
      } else if (ch === '}' && insidePlaceholder) {
        break;
      } else if (ch === '$') {
        const node = parseDollar();
        if (node) {
          flush();
          nodes.push(node);
        } else {
          text += ch;
          pos++;
        }
      } else {
        text += ch;
        pos++;
      }
    }
    flush();
    return nodes;
  }

  /** At a `$`: a tabstop or variable (pos moves past it), or undefined for a literal `$`. */
  function parseDollar(): SnippetNode | undefined {
    const simple = /^\$(?:(\d+)|([_a-zA-Z][_a-zA-Z0-9]*))/.exec(source.slice(pos));
    if (simple) {
      pos += simple[0].length;
      return simple[1] !== undefined
        ? { kind: 'tabstop', index: Number(simple[1]), children: [] }
        : { kind: 'variable', name: simple[2] as string, children: [] };
    }
    const open = /^\$\{(?:(\d+)|([_a-zA-Z][_a-zA-Z0-9]*))([:|}])/.exec(source.slice(pos));
    if (!open) return undefined;
    pos += open[0].length;
    const [, digits, name, sep] = open;
    if (sep === '|') {
      if (digits === undefined) throw new Error(`choice on a variable at ${pos}`);
      const choices: string[] = [];
      let current = '';
      while (pos < source.length && !(source[pos] === '|' && source[pos + 1] === '}')) {
        if (source[pos] === '\\' && pos + 1 < source.length && ',|\\'.includes(source[pos + 1] as string)) {
          current += source[pos + 1];
          pos += 2;
        } else if (source[pos] === ',') {
          choices.push(current);
          current = '';
          pos++;
        } else {
          current += source[pos];
          pos++;
        }
      }
      if (pos >= source.length) throw new Error('unterminated choice');
      choices.push(current);
      pos += 2;
      return { kind: 'tabstop', index: Number(digits), children: [], choices };
    }
    const children = sep === ':' ? parseSequence(true) : [];
    if (sep === ':') {
      if (source[pos] !== '}') throw new Error('unterminated placeholder');
      pos++;
    }
    return digits !== undefined
      ? { kind: 'tabstop', index: Number(digits), children }
      : { kind: 'variable', name: name as string, children };
  }

  const nodes = parseSequence(false);
  if (pos !== source.length) throw new Error(`unexpected "}" at ${pos}`);
  return nodes;
}

/**
 * The text VS Code inserts when every placeholder keeps its default: `${1:x}` -> x, a choice ->
 * its first option, a bare `$1` -> the default given to tabstop 1 elsewhere (mirrors), else empty;
 * `$0` -> empty; variables -> their default.
 */
export function expandWithDefaults(source: string): string {
  const nodes = parseSnippet(source);
  const defining = new Map<number, SnippetNode & { kind: 'tabstop' }>();
  const collect = (list: SnippetNode[]): void => {
    for (const n of list) {
      if (n.kind === 'text') continue;
      if (n.kind === 'tabstop' && (n.children.length > 0 || n.choices) && !defining.has(n.index)) defining.set(n.index, n);
      collect(n.children);
    }
  };
  collect(nodes);
  const render = (list: SnippetNode[], depth: number): string => {
    if (depth > 20) throw new Error('placeholders refer to each other in a loop');
    return list
      .map((n) => {
        if (n.kind === 'text') return n.text;
        if (n.kind === 'variable') return render(n.children, depth + 1);
        const def = n.children.length > 0 || n.choices ? n : defining.get(n.index);
        if (!def) return '';
        return def.choices ? (def.choices[0] ?? '') : render(def.children, depth + 1);
      })
      .join('');
  };
  return render(nodes, 0);
}
