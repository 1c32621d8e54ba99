// Keypad for sending touch tones into the call (IVRs, extensions).
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

export function DtmfKeypad({
  onDigit,
  disabled = false,
  label = 'Keypad',
}: {
  onDigit: (digit: string) => void;
  disabled?: boolean;
  label?: string;
}) {
  return (
    <div className="keypad" role="group" aria-label={label}>
      {KEYS.map((k) => (
        <button
          key={k}
          type="button"
          className="btn keypad-key"
          disabled={disabled}
          onClick={() => onDigit(k)}
          aria-label={`Key ${k}`}
        >
          {k}
        </button>
      ))}
    </div>
  );
}
