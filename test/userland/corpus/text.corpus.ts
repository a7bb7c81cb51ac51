/** The text filters head, tail, wc, sort, uniq, cut, tr and xargs, with their error cases. */
import type { Corpus } from '../toolbox-harness.js';

const twelve = 'one two three four five six seven eight nine ten eleven twelve'.split(' ');

export const corpus: Corpus = {
  name: 'text',
  tree: {
    lines: twelve.map((w) => `${w}\n`).join(''),
    c: 'a:b:c:d\nnodelim\n1:2\n',
    nonl: 'no newline',
    nums: '10\n9\n1e3\n2\nabc\n-5\n  3\n\n0x10\n1.5\nb\na\n',
    kv: 'b 2\na 2\nc 1\nB 10\n',
    colon: 'x:b:2\nx:a:10\ny:a:2\n',
    u: 'a\na\nb\nc\nc\nc\nA\na 1\nb 1\n',
    d: null,
  },
  snippets: [
    // head
    'head lines',
    'head -n 3 lines; head -3 lines c',
    'head -c 5 nonl lines; echo',
    'head nofile c lines; echo $?',
    'head -n -10 lines; head -c -3 nonl; echo',
    'head -v c; head -q c c; head -n 2k c',
    'head -n x c; echo $?',
    'head -z c; echo $?',
    // options after operands, as glibc's getopt takes them
    'head lines -n 2; tail lines -n 2 -v; wc lines -l; sort kv -r; uniq u -c; cut c -d : -f 1; sort -- -r; echo $?',
    'head -n; echo $?; cut -d; echo $?; sort -k; echo $?',
    'echo hi | head - c; head -n 0 c; head -n -0 c',
    // tail
    'tail lines; tail -n 3 lines; tail -3 lines c',
    'tail -c 5 nonl lines; echo',
    'tail nofile c lines; echo $?; tail nofile; echo $?',
    'tail -n +10 lines; tail +11 lines; tail -c +3 nonl; echo',
    'tail -v c; tail -q c c; tail -n 0 c; tail -n +0 c; tail -c 0 c',
    'tail -n x c; echo $?; tail -z c; echo $?',
    'echo hi | tail - c; tail -n 1 nonl; echo; tail -1 nonl c',
    "printf 'a\\n\\n\\n' | tail -n 2",
    'echo a > log; tail -f log > out & p=$!; sleep 1; echo b >> log; sleep 2; kill $p; wait; while read l; do echo "[$l]"; done < out',
    'echo a > l1; echo b > l2; tail -f l1 l2 > out & p=$!; sleep 1; echo c >> l1; sleep 2; kill $p; wait; while read l; do echo "[$l]"; done < out',
    // wc
    'wc lines; wc -l lines; wc -l < lines; wc < lines',
    'wc -lc lines c; wc -w - < c; wc -L lines c; wc -m nonl',
    'wc nofile c; echo $?',
    "printf 'a\\tb  c\\001d\\n' | wc; printf '\\tx\\n' | wc -L; printf '\\001 \\002\\n' | wc -w",
    'wc -x; echo $?',
    // sort
    'sort lines; sort -n nums; sort -rn nums',
    'sort -k 2 kv; sort -s -k2 kv; sort -k2n kv; sort -k2,2nr kv',
    'sort -t: -k2,2 -u colon; sort -t: -k3n colon; sort -t: -k2 -k3nr colon',
    "sort -f kv; sort -fu kv; printf '1\\n01\\n2\\n' | sort -nu; printf '01\\n1\\n' | sort -nu",
    'sort -k 0 kv; echo $?; sort nofile; echo $?; sort -t ab kv; echo $?',
    'sort -x kv; echo $?; sort -k 1.x kv; echo $?',
    'sort -k1.2,1.2 kv; sort -b nums; sort -r -k2 kv',
    'sort -o out kv; head out; sort lines kv | head -4; sort -u lines lines | wc -l',
    // uniq
    'uniq u; uniq -c u; uniq -d u; uniq -u u; uniq -cd u',
    'uniq -i u; uniq -f 1 u; uniq -s 1 -c u; uniq -w 0 u',
    'uniq nofile; echo $?; uniq a b c; echo $?; uniq -f x u; echo $?',
    'uniq u out; head out; uniq -x u; echo $?',
    "printf 'a\\nb' | uniq; uniq - < u | wc -l",
    // cut
    'cut -d: -f2 c; cut -d: -f1,3- c; cut -d: -s -f2 c',
    'cut -c2-3 c; cut -b -2 c; cut -c 3,1 c; cut -c 2- nonl',
    'cut c; echo $?; cut -f 0 c; cut -d ab -f1 c',
    'cut -f1 nofile c; echo $?; cut -f1 -c1 c; echo $?',
    'cut -d: -f2,1 c; cut -f a c; echo $?; cut -f 1-2-3 c; echo $?; cut -f "" c; echo $?',
    'cut -c 0 c; cut -d: -f-2,4 c; cut -d: -O_ -f1,3 c',
    "printf 'a\\tb\\n' | cut -f2; echo '1:2' | cut -d: -f1,3,5; echo '1:2' | cut -d: -f3,4; echo '1:2:3' | cut -d: -f1-2,2-3; echo abcdef | cut -c 4-,-2",
    // tr
    "echo hello | tr a-z A-Z; echo hello | tr -d l; echo heelloo | tr -s eo; echo hello | tr -c a-z '\\n'",
    'echo hello | tr; echo $?; echo hello | tr a; echo $?; echo hello | tr -d; echo $?',
    "echo 'a b' | tr '[:space:]' _; echo abc | tr abc x; echo abc | tr a xyz; echo hello | tr -cd 'l\\n'",
    "echo 'a,b' | tr , '\\t'; echo abc | tr 'a-c' '\\101-\\103'; echo hello | tr -s l; echo aabbcc | tr -s a-c x",
    "echo abc | tr '[:lower:]' '[:upper:]'; echo ABC | tr '[:upper:]' '[:lower:]'; echo 'a  b   c' | tr -s ' '",
    "echo abc | tr 'z-a' x; echo 'a]b' | tr '[:foo:]' x; echo hello | tr -ds l o; echo 'x\\y' | tr '\\\\' /",
    "echo abcdef | tr a-f '[x*]'; echo abcdef | tr a-f 'AB[x*2]'; echo a-b | tr a- xy; echo a-b | tr -- -a xy",
    "echo hello world | tr -c '[:alpha:]' '[.*]'; echo abc | tr -x a b; echo $?; echo hello | tr -C l x",
    'tr a-z A-Z < lines | tail -2',
    // xargs
    'echo a b c | xargs; echo a b c | xargs -n 2 echo X; xargs echo < lines',
    "printf 'a\\nb\\n' | xargs -I {} echo '<{}>' '{}'; printf 'a\\0b c\\0' | xargs -0 -n1 echo",
    'echo | xargs -r echo hi; echo | xargs echo hi; printf "" | xargs -I{} echo {}',
    'echo a | xargs nosuch; echo $?; echo a | xargs ./c; echo $?; echo a | xargs false; echo $?',
    "echo a | xargs sh -c 'exit 255'; echo $?; echo a | xargs sh -c 'kill -9 $$'; echo $?",
    'echo "\'a b\' \\"c d\\" e\\\\ f" | xargs -n1; echo "\'a b" | xargs; echo $?; echo \'"x\' | xargs; echo $?',
    'echo a b | xargs -t echo; echo a | xargs -n 0 echo; echo $?; echo a | xargs -n x echo; echo $?',
    "printf '  x y \\n z\\n' | xargs -I % echo [%]; echo a b c d | xargs -n2 sh -c 'echo $#: $*' sh",
    "echo a b | xargs -n1 sh -c 'exit $1' sh; echo $?; printf 'a\\nb\\n\\nc' | xargs -I{} echo {}",
  ],
};
