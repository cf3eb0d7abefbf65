import { yaml } from '@codemirror/lang-yaml';
import { EditorView, basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { cspNonce } from '../app/cspNonce';

/**
 * CodeMirror 6 with YAML. Uncontrolled: `initial` is read once (remount with a new key to
 * reset); `onChange` gets the text. The CSP nonce goes to CodeMirror for its <style> elements.
 */
export function YamlEditor({ initial, onChange, dark }: { initial: string; onChange: (text: string) => void; dark: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  useEffect(() => {
    const view = new EditorView({
      doc: initial,
      parent: host.current!,
      extensions: [
        basicSetup,
        yaml(),
        EditorView.cspNonce.of(cspNonce()),
        EditorView.theme({ '&': { height: '100%' }, '.cm-scroller': { fontFamily: 'var(--mono)' } }, { dark }),
        EditorView.updateListener.of((u) => u.docChanged && changed.current(u.state.doc.toString())),
      ],
    });
    return () => view.destroy();
  }, [initial, dark]);
  return <div className="yaml-editor" data-testid="yaml-editor" ref={host} />;
}
