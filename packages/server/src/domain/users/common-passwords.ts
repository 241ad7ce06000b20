/**
 * The roots of the most used passwords (the head of every public breach-frequency list: "123456",
 * "password", "qwerty", …). Passwords here must have MIN_PASSWORD_LENGTH characters, so the list itself
 * would rarely match; what people type instead is a root dressed up to the length: "Password1234!",
 * "qwerty123456", "iloveyou2026", "P@ssw0rdP@ssw0rd". `isCommonPassword` undoes the usual dressing
 * (case, l33t, digits and symbols around, repetition) and checks what remains against the roots, plus
 * keyboard walks, runs and too few distinct characters (NIST SP 800-63B §5.1.1.2: refuse "values known
 * to be commonly-used, expected, or compromised"). Words only; no personal data.
 */
const ROOTS = `
password passwort passw pass passwd motdepasse contrasena senha wachtwoord salasana haslo
qwerty qwertz azerty asdf asdfgh asdfghjkl zxcvbn zxcvbnm qwertyuiop qazwsx qazwsxedc
iloveyou loveyou lovely love loveme mylove princess angel angels sunshine rainbow
welcome hello hi letmein admin administrator root user guest login default changeme secret test tester
master monkey dragon shadow football baseball soccer hockey basketball superman batman spiderman
michael jessica daniel charlie thomas jordan hunter ranger buster ashley nicole summer winter
freedom whatever trustno1 trustno starwars pokemon minecraft computer internet samsung google
cheese chocolate cookie banana orange apple pepper ginger flower purple
killer matrix mustang harley ferrari porsche mercedes corvette
access secure security company business office
tigger jennifer hannah maggie buster family friends forever
abc abcd abcde abcdef abcdefg abcdefgh abcdefghij
latchkey
`
  .split(/\s+/)
  .filter((w) => w !== '');

const ROOT_SET = new Set(ROOTS);

const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'qwertzuiop', 'azertyuiop', '1qaz2wsx3edc4rfv5tgb', 'qazwsxedcrfvtgbyhnujm', '1q2w3e4r5t6y7u8i9o0p'];
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's', '!': 'i', '|': 'l', '+': 't' };

function deLeet(value: string): string {
  return [...value].map((c) => LEET[c] ?? c).join('');
}

/** "abcabcabc" → "abc"; anything not a repetition stays as it is. */
function unrepeat(value: string): string {
  for (let size = 1; size <= value.length / 2; size++) {
    if (value.length % size === 0 && value.slice(0, size).repeat(value.length / size) === value) return value.slice(0, size);
  }
  return value;
}

/** Part of a keyboard row or the alphabet, forwards or backwards ("qwertyuiop", "987654", "lkjhg"). */
function isWalk(value: string): boolean {
  if (value.length < 3) return true;
  // Rows wrap around ("890123", "yzabc"): people keep typing past the end.
  return [...KEYBOARD_ROWS, ALPHABET].some((row) => (row + row).includes(value) || [...row + row].reverse().join('').includes(value));
}

function isCommonCore(core: string): boolean {
  const single = unrepeat(core);
  return single === '' || ROOT_SET.has(single) || isWalk(single) || ROOTS.some((root) => root.length >= 4 && single === root + root);
}

/**
 * Whether a password is a common one in disguise. `context` holds words the password must not be built on
 * (the user's email and name: NIST's "context-specific words").
 */
export function isCommonPassword(password: string, context: readonly string[] = []): boolean {
  const lower = unrepeat(password.toLowerCase().replace(/\s+/g, ''));
  if (new Set(lower).size < 5) return true;
  // Digits and symbols around a word are decoration ("!!Password2026?"); a whole password of them is a walk or a date.
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (core === '') return isWalk(unrepeat(lower)) || /^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/.test(lower) || new Set(lower).size < 6;
  if (isCommonCore(core) || isCommonCore(deLeet(core)) || isCommonCore(deLeet(lower).replace(/^[^a-z]+|[^a-z]+$/g, ''))) return true;
  // Two roots run together ("passwordqwerty", "iloveyoumonkey") or a root with a walk ("dragon12345").
  const letters = deLeet(lower).replace(/[^a-z]/g, '');
  for (let i = 3; i <= letters.length - 3; i++) {
    const [head, tail] = [letters.slice(0, i), letters.slice(i)];
    if ((ROOT_SET.has(head) || isWalk(head)) && (ROOT_SET.has(tail) || isWalk(tail) || ROOT_SET.has(unrepeat(tail)))) return true;
  }
  return context
    .flatMap((c) => c.toLowerCase().split(/[^a-z0-9]+/))
    .filter((word) => word.length >= 4)
    .some((word) => letters.includes(word) || lower.includes(word));
}
