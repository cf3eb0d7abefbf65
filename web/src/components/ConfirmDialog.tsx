import { useEffect, useRef, type ReactNode } from 'react';
import './ConfirmDialog.css';

/** A modal <dialog>: Escape or Cancel closes, the confirm button does the action. */
export function ConfirmDialog({ title, children, confirmLabel, danger, busy, wide, onConfirm, onClose }: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  /** Room for a diff. */
  wide?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    dialog.showModal();
    return () => dialog.close();
  }, []);
  return (
    <dialog ref={ref} className={wide ? 'confirm-dialog wide' : 'confirm-dialog'} data-testid="confirm-dialog" onCancel={onClose}>
      <h2>{title}</h2>
      <div className="confirm-body">{children}</div>
      <div className="confirm-actions">
        <button type="button" onClick={onClose} data-testid="confirm-cancel">
          Cancel
        </button>
        <button type="button" className={danger ? 'danger' : 'primary'} disabled={busy} onClick={onConfirm} data-testid="confirm-ok" autoFocus>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
