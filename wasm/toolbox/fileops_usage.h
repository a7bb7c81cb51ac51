/* busybox's help texts of the applets in fileops.c, copy.c, remove.c, modes.c, touch.c, cat.c,
 * echo.c and misc.c (printed on a bad invocation, as busybox does; from busybox APPLET --help). */
#ifndef FILEOPS_USAGE_H
#define FILEOPS_USAGE_H
#define USAGE_CP \
  "Usage: cp [-arPLHpfinlsTu] SOURCE DEST\n" \
  "or: cp [-arPLHpfinlsu] SOURCE... { -t DIRECTORY | DIRECTORY }\n" \
  "\n" \
  "Copy SOURCEs to DEST\n" \
  "\n" \
  "\t-a\tSame as -dpR\n" \
  "\t-R,-r\tRecurse\n" \
  "\t-d,-P\tPreserve symlinks (default if -R)\n" \
  "\t-L\tFollow all symlinks\n" \
  "\t-H\tFollow symlinks on command line\n" \
  "\t-p\tPreserve file attributes if possible\n" \
  "\t-f\tOverwrite\n" \
  "\t-i\tPrompt before overwrite\n" \
  "\t-n\tDon't overwrite\n" \
  "\t-l,-s\tCreate (sym)links\n" \
  "\t-T\tRefuse to copy if DEST is a directory\n" \
  "\t-t DIR\tCopy all SOURCEs into DIR\n" \
  "\t-u\tCopy only newer files\n" \
  ""
#define USAGE_MV \
  "Usage: mv [-finT] SOURCE DEST\n" \
  "or: mv [-fin] SOURCE... { -t DIRECTORY | DIRECTORY }\n" \
  "\n" \
  "Rename SOURCE to DEST, or move SOURCEs to DIRECTORY\n" \
  "\n" \
  "\t-f\tDon't prompt before overwriting\n" \
  "\t-i\tInteractive, prompt before overwrite\n" \
  "\t-n\tDon't overwrite an existing file\n" \
  "\t-T\tRefuse to move if DEST is a directory\n" \
  "\t-t DIR\tMove all SOURCEs into DIR\n" \
  ""
#define USAGE_RM \
  "Usage: rm [-irf] FILE...\n" \
  "\n" \
  "Remove (unlink) FILEs\n" \
  "\n" \
  "\t-i\tAlways prompt before removing\n" \
  "\t-f\tNever prompt\n" \
  "\t-R,-r\tRecurse\n" \
  ""
#define USAGE_RMDIR \
  "Usage: rmdir [-p] DIRECTORY...\n" \
  "\n" \
  "Remove DIRECTORY if it is empty\n" \
  "\n" \
  "\t-p\tInclude parents\n" \
  "\t--ignore-fail-on-non-empty\n" \
  ""
#define USAGE_MKDIR \
  "Usage: mkdir [-m MODE] [-p] DIRECTORY...\n" \
  "\n" \
  "Create DIRECTORY\n" \
  "\n" \
  "\t-m MODE\tMode\n" \
  "\t-p\tNo error if exists; make parent directories as needed\n" \
  ""
#define USAGE_LN \
  "Usage: ln [-sfnbtv] [-S SUF] TARGET... LINK|DIR\n" \
  "\n" \
  "Create a link LINK or DIR/TARGET to the specified TARGET(s)\n" \
  "\n" \
  "\t-s\tMake symlinks instead of hardlinks\n" \
  "\t-f\tRemove existing destinations\n" \
  "\t-n\tDon't dereference symlinks - treat like normal file\n" \
  "\t-b\tMake a backup of the target (if exists) before link operation\n" \
  "\t-S SUF\tUse suffix instead of ~ when making backup files\n" \
  "\t-T\tTreat LINK as a file, not DIR\n" \
  "\t-v\tVerbose\n" \
  ""
#define USAGE_TOUCH \
  "Usage: touch [-cham] [-d DATE] [-t DATE] [-r FILE] FILE...\n" \
  "\n" \
  "Update mtime of FILEs\n" \
  "\n" \
  "\t-c\tDon't create files\n" \
  "\t-h\tDon't follow links\n" \
  "\t-a\tChange only atime\n" \
  "\t-m\tChange only mtime\n" \
  "\t-d DT\tDate/time to use\n" \
  "\t-t DT\tDate/time to use\n" \
  "\t-r FILE\tUse FILE's date/time\n" \
  ""
#define USAGE_CHMOD \
  "Usage: chmod [-Rcvf] MODE[,MODE]... FILE...\n" \
  "\n" \
  "MODE is octal number (bit pattern sstrwxrwxrwx) or [ugoa]{+|-|=}[rwxXst]\n" \
  "\n" \
  "\t-R\tRecurse\n" \
  "\t-c\tList changed files\n" \
  "\t-v\tVerbose\n" \
  "\t-f\tHide errors\n" \
  ""
#define USAGE_CHOWN \
  "Usage: chown [-RhLHPcvf]... USER[:[GRP]] FILE...\n" \
  "\n" \
  "Change the owner and/or group of FILEs to USER and/or GRP\n" \
  "\n" \
  "\t-h\tAffect symlinks instead of symlink targets\n" \
  "\t-L\tTraverse all symlinks to directories\n" \
  "\t-H\tTraverse symlinks on command line only\n" \
  "\t-P\tDon't traverse symlinks (default)\n" \
  "\t-R\tRecurse\n" \
  "\t-c\tList changed files\n" \
  "\t-v\tVerbose\n" \
  "\t-f\tHide errors\n" \
  ""
#define USAGE_CAT \
  "Usage: cat [-nbvteA] [FILE]...\n" \
  "\n" \
  "Print FILEs to stdout\n" \
  "\n" \
  "\t-n\tNumber output lines\n" \
  "\t-b\tNumber nonempty lines\n" \
  "\t-v\tShow nonprinting characters as ^x or M-x\n" \
  "\t-t\t...and tabs as ^I\n" \
  "\t-e\t...and end lines with $\n" \
  "\t-A\tSame as -vte\n" \
  ""
#define USAGE_TEE \
  "Usage: tee [-ai] [FILE]...\n" \
  "\n" \
  "Copy stdin to each FILE, and also to stdout\n" \
  "\n" \
  "\t-a\tAppend to the given FILEs, don't overwrite\n" \
  "\t-i\tIgnore interrupt signals (SIGINT)\n" \
  ""
#define USAGE_SEQ \
  "Usage: seq [-w] [-s SEP] [FIRST [INC]] LAST\n" \
  "\n" \
  "Print numbers from FIRST to LAST, in steps of INC.\n" \
  "FIRST, INC default to 1.\n" \
  "\n" \
  "\t-w\tPad to last with leading zeros\n" \
  "\t-s SEP\tString separator\n" \
  ""
#define USAGE_SLEEP \
  "Usage: sleep [N]...\n" \
  "\n" \
  "Pause for a time equal to the total of the args given, where each arg can\n" \
  "have an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n" \
  ""
#define USAGE_YES \
  "Usage: yes [STRING]\n" \
  "\n" \
  "Repeatedly print a line with STRING, or 'y'\n" \
  ""
#define USAGE_PRINTF \
  "Usage: printf FORMAT [ARG]...\n" \
  "\n" \
  "Format and print ARG(s) according to FORMAT (a-la C printf)\n" \
  ""
#endif
