// The program's editor (CodeMirror 6 with Python's highlighting), loaded with the Python room. It edits the form's
// `code` field: empty while it holds threadlab's own program, so that an address carries only edited code.
import { python } from '@codemirror/lang-python';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { basicSetup, EditorView } from 'codemirror';
import program from './program.py?raw';

// The page's colours (style.css), light or dark.
const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--card)', color: 'var(--fg)', border: '1px solid var(--line)', borderRadius: '6px' },
  '.cm-gutters': { backgroundColor: 'var(--bg)', color: 'var(--muted)', borderRight: '1px solid var(--line)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'transparent' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-scroller': { fontFamily: 'ui-monospace, "SF Mono", Menlo, Consolas, monospace', fontSize: '0.875rem' },
});

// Python's colours from the page's own, which keep their contrast in the light palette and the dark one.
const highlighting = HighlightStyle.define([
  { tag: [tags.keyword, tags.operatorKeyword, tags.modifier], color: 'var(--accent-text)', fontWeight: '600' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--good)' },
  { tag: [tags.comment, tags.docString], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--warn)' },
  { tag: tags.definition(tags.variableName), fontWeight: '600' },
]);

/**
 * An editor in `parent` for `field` (the form's code): `{ reset(), show(text) }`. It lives in a shadow root, where
 * CodeMirror styles itself with a constructed stylesheet: in the document it would add a <style> element, which the
 * page's Content-Security-Policy refuses. The page's colours (custom properties) reach into it.
 */
export function makeEditor(parent, field) {
  const root = parent.attachShadow({ mode: 'open' });
  const view = new EditorView({
    doc: field.value || program,
    root,
    parent: root,
    extensions: [
      basicSetup,
      python(),
      theme,
      syntaxHighlighting(highlighting),
      // Long lines wrap and the editor grows with the program: nothing in it scrolls, on a phone either.
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': 'the Python program' }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        const text = update.state.doc.toString();
        field.value = text === program ? '' : text;
        field.form.dispatchEvent(new Event('input'));
      }),
    ],
  });
  const show = (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text || program } });
  return { reset: () => show(program), show };
}
