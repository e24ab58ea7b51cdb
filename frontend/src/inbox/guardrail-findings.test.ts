import type { GuardrailFinding } from '@parley/common';
import { mergeFindings, stillPresent } from './guardrail-findings';

const finding = (kind: GuardrailFinding['kind'], text: string, start: number, severity: GuardrailFinding['severity'] = 'block'): GuardrailFinding => ({
  kind,
  severity,
  text,
  start,
  end: start + text.length,
  message: `${kind} found`,
  ...(severity === 'warn' ? { confirmKey: `${kind}:${text}` } : {}),
});

describe('guardrail findings in the composer', () => {
  it("adds the server's findings to the composer's, each span once, in the order of the text", () => {
    const local = [finding('email', 'a@b.io', 10)];
    const server = [finding('hashtag', '#sale', 0, 'warn'), finding('email', 'a@b.io', 10)];
    expect(mergeFindings(local, server).map((item) => item.kind)).toEqual(['hashtag', 'email']);
  });

  it('drops findings that no longer point at what they name once the agent edits the text', () => {
    const findings = [finding('hashtag', '#sale', 4, 'warn'), finding('phone', '0612345678', 15)];
    expect(stillPresent(findings, 'Our #sale, call 0612345678').map((item) => item.kind)).toEqual(['hashtag']);
    expect(stillPresent(findings, 'Our #sale call 0612345678').map((item) => item.kind)).toEqual(['hashtag', 'phone']);
    expect(stillPresent(findings, 'Our big #sale call 0612345678')).toEqual([]);
  });
});
