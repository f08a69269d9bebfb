/** Where a rule's documentation lives, relative to the package root: docs/rules/<id>.md. */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}
