/* busybox's help texts of the text applets, printed after a bad option as busybox does. */
#ifndef TEXT_USAGE_H
#define TEXT_USAGE_H
#define USAGE_HEAD \
  "Usage: head [OPTIONS] [FILE]...\n" \
  "\n" \
  "Print first 10 lines of FILEs (or stdin).\n" \
  "With more than one FILE, precede each with a filename header.\n" \
  "\n" \
  "\t-n N[bkm]\tPrint first N lines\n" \
  "\t-n -N[bkm]\tPrint all except N last lines\n" \
  "\t-c [-]N[bkm]\tPrint first N bytes\n" \
  "\t\t\t(b:*512 k:*1024 m:*1024^2)\n" \
  "\t-q\t\tNever print headers\n" \
  "\t-v\t\tAlways print headers\n" \
  ""
#define USAGE_TAIL \
  "Usage: tail [OPTIONS] [FILE]...\n" \
  "\n" \
  "Print last 10 lines of FILEs (or stdin) to.\n" \
  "With more than one FILE, precede each with a filename header.\n" \
  "\n" \
  "\t-c [+]N[bkm]\tPrint last N bytes\n" \
  "\t-n N[bkm]\tPrint last N lines\n" \
  "\t-n +N[bkm]\tStart on Nth line and print the rest\n" \
  "\t\t\t(b:*512 k:*1024 m:*1024^2)\n" \
  "\t-q\t\tNever print headers\n" \
  "\t-v\t\tAlways print headers\n" \
  "\t-f\t\tPrint data as file grows\n" \
  "\t-F\t\tSame as -f, but keep retrying\n" \
  "\t-s SECONDS\tWait SECONDS between reads with -f\n" \
  ""
#define USAGE_WC \
  "Usage: wc [-cmlwL] [FILE]...\n" \
  "\n" \
  "Count lines, words, and bytes for FILEs (or stdin)\n" \
  "\n" \
  "\t-c\tCount bytes\n" \
  "\t-m\tCount characters\n" \
  "\t-l\tCount newlines\n" \
  "\t-w\tCount words\n" \
  "\t-L\tPrint longest line length\n" \
  ""
#define USAGE_SORT \
  "Usage: sort [-nrugMcszbdfiokt] [-o FILE] [-k START[.OFS][OPTS][,END[.OFS][OPTS]] [-t CHAR] [FILE]...\n" \
  "\n" \
  "Sort lines of text\n" \
  "\n" \
  "\t-o FILE\tOutput to FILE\n" \
  "\t-c\tCheck whether input is sorted\n" \
  "\t-b\tIgnore leading blanks\n" \
  "\t-f\tIgnore case\n" \
  "\t-i\tIgnore unprintable characters\n" \
  "\t-d\tDictionary order (blank or alphanumeric only)\n" \
  "\t-n\tSort numbers\n" \
  "\t-g\tGeneral numerical sort\n" \
  "\t-M\tSort month\n" \
  "\t-V\tSort version\n" \
  "\t-t CHAR\tField separator\n" \
  "\t-k N[,M] Sort by Nth field\n" \
  "\t-r\tReverse sort order\n" \
  "\t-s\tStable (don't sort ties alphabetically)\n" \
  "\t-u\tSuppress duplicate lines\n" \
  "\t-z\tNUL terminated input and output\n" \
  ""
#define USAGE_UNIQ \
  "Usage: uniq [-cduiz] [-f,s,w N] [FILE [OUTFILE]]\n" \
  "\n" \
  "Discard duplicate lines\n" \
  "\n" \
  "\t-c\tPrefix lines by the number of occurrences\n" \
  "\t-d\tOnly print duplicate lines\n" \
  "\t-u\tOnly print unique lines\n" \
  "\t-i\tIgnore case\n" \
  "\t-z\tNUL terminated output\n" \
  "\t-f N\tSkip first N fields\n" \
  "\t-s N\tSkip first N chars (after any skipped fields)\n" \
  "\t-w N\tCompare N characters in line\n" \
  ""
#define USAGE_CUT \
  "Usage: cut [OPTIONS] [FILE]...\n" \
  "\n" \
  "Print selected fields from FILEs to stdout\n" \
  "\n" \
  "\t-b LIST\tOutput only bytes from LIST\n" \
  "\t-c LIST\tOutput only characters from LIST\n" \
  "\t-d SEP\tField delimiter for input (default -f TAB, -F run of whitespace)\n" \
  "\t-O SEP\tField delimiter for output (default = -d for -f, one space for -F)\n" \
  "\t-D\tDon't sort/collate sections or match -fF lines without delimiter\n" \
  "\t-f LIST\tPrint only these fields (-d is single char)\n" \
  "\t-F LIST\tPrint only these fields (-d is regex)\n" \
  "\t-s\tOutput only lines containing delimiter\n" \
  "\t-n\tIgnored\n" \
  ""
#define USAGE_TR \
  "Usage: tr [-cds] STRING1 [STRING2]\n" \
  "\n" \
  "Translate, squeeze, or delete characters from stdin, writing to stdout\n" \
  "\n" \
  "\t-c\tTake complement of STRING1\n" \
  "\t-d\tDelete input characters coded STRING1\n" \
  "\t-s\tSqueeze multiple output characters of STRING2 into one character\n" \
  ""
#define USAGE_XARGS \
  "Usage: xargs [OPTIONS] [PROG ARGS]\n" \
  "\n" \
  "Run PROG on every item given by stdin\n" \
  "\n" \
  "\t-0\tNUL terminated input\n" \
  "\t-a FILE\tRead from FILE instead of stdin\n" \
  "\t-r\tDon't run command if input is empty\n" \
  "\t-t\tPrint the command on stderr before execution\n" \
  "\t-p\tAsk user whether to run each command\n" \
  "\t-E STR,-e[STR]\tSTR stops input processing\n" \
  "\t-I STR\tReplace STR within PROG ARGS with input line\n" \
  "\t-n N\tPass no more than N args to PROG\n" \
  "\t-s N\tPass command line of no more than N bytes\n" \
  "\t-P N\tRun up to N PROGs in parallel\n" \
  "\t-x\tExit if size is exceeded\n" \
  ""
#define USAGE_GREP \
  "Usage: grep [-HhnlLoqvsrRiwFEz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n" \
  "\n" \
  "Search for PATTERN in FILEs (or stdin)\n" \
  "\n" \
  "\t-H\tAdd 'filename:' prefix\n" \
  "\t-h\tDo not add 'filename:' prefix\n" \
  "\t-n\tAdd 'line_no:' prefix\n" \
  "\t-l\tShow only names of files that match\n" \
  "\t-L\tShow only names of files that don't match\n" \
  "\t-c\tShow only count of matching lines\n" \
  "\t-o\tShow only the matching part of line\n" \
  "\t-q\tQuiet. Return 0 if PATTERN is found, 1 otherwise\n" \
  "\t-v\tSelect non-matching lines\n" \
  "\t-s\tSuppress open and read errors\n" \
  "\t-r\tRecurse\n" \
  "\t-R\tRecurse and dereference symlinks\n" \
  "\t-i\tIgnore case\n" \
  "\t-w\tMatch whole words only\n" \
  "\t-x\tMatch whole lines only\n" \
  "\t-F\tPATTERN is a literal (not regexp)\n" \
  "\t-E\tPATTERN is an extended regexp\n" \
  "\t-z\tNUL terminated input\n" \
  "\t-m N\tMatch up to N times per file\n" \
  "\t-A N\tPrint N lines of trailing context\n" \
  "\t-B N\tPrint N lines of leading context\n" \
  "\t-C N\tSame as '-A N -B N'\n" \
  "\t-e PTRN\tPattern to match\n" \
  "\t-f FILE\tRead pattern from file\n" \
  ""
#define USAGE_SED \
  "Usage: sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...\n" \
  "or: sed [-i[SFX]] [-nrE] CMD [FILE]...\n" \
  "\n" \
  "\t-e CMD\tAdd CMD to sed commands to be executed\n" \
  "\t-f FILE\tAdd FILE contents to sed commands to be executed\n" \
  "\t-i[SFX]\tEdit files in-place (otherwise write to stdout)\n" \
  "\t\tOptionally back files up, appending SFX\n" \
  "\t-n\tSuppress automatic printing of pattern space\n" \
  "\t-r,-E\tUse extended regex syntax\n" \
  "\n" \
  "If no -e or -f, the first non-option argument is the sed command string.\n" \
  "Remaining arguments are input files (stdin if none).\n" \
  ""
#define USAGE_SHA256SUM \
  "Usage: sha256sum [-c[sw]] [FILE]...\n" \
  "\n" \
  "Print or check SHA256 checksums\n" \
  "\n" \
  "\t-c\tCheck sums against list in FILEs\n" \
  "\t-s\tDon't output anything, status code shows success\n" \
  "\t-w\tWarn about improperly formatted checksum lines\n" \
  ""
#define USAGE_TAR \
  "Usage: tar c|x|t [-ZzJjahmvokO] [-f TARFILE] [-C DIR] [FILE]...\n" \
  "\n" \
  "Create, extract, or list files from a tar file\n" \
  "\n" \
  "\tc\tCreate\n" \
  "\tx\tExtract\n" \
  "\tt\tList\n" \
  "\t-f FILE\tName of TARFILE ('-' for stdin/out)\n" \
  "\t-C DIR\tChange to DIR before operation\n" \
  "\t-v\tVerbose\n" \
  "\t-O\tExtract to stdout\n" \
  "\t-m\tDon't restore mtime\n" \
  "\t-o\tDon't restore user:group\n" \
  "\t-k\tDon't replace existing files\n" \
  "\t-Z\t(De)compress using compress\n" \
  "\t-z\t(De)compress using gzip\n" \
  "\t-J\t(De)compress using xz\n" \
  "\t-j\t(De)compress using bzip2\n" \
  "\t--lzma\t(De)compress using lzma\n" \
  "\t-a\t(De)compress based on extension\n" \
  "\t-h\tFollow symlinks\n" \
  "\t--overwrite\t\tReplace existing files\n" \
  "\t--strip-components NUM\tNUM of leading components to strip\n" \
  "\t--no-recursion\t\tDon't descend in directories\n" \
  "\t--numeric-owner\t\tUse numeric user:group\n" \
  "\t--no-same-permissions\tDon't restore access permissions\n" \
  "\t--to-command COMMAND\tPipe files to COMMAND\n" \
  ""
#endif
