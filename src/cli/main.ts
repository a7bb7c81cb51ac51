/**
 * `berth` command line: parses the verb and hands off to one file per command.
 * Exit codes follow Docker: 0 ok, 1 command failed, 125 engine or usage error.
 */
export async function main(argv: string[]): Promise<number> {
  const [verb] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  if (verb === '--version' || verb === 'version') {
    process.stdout.write('berth 0.1.0\n');
    return 0;
  }
  process.stderr.write(`berth: '${verb}' is not a berth command.\nSee 'berth --help'.\n`);
  return 125;
}

function usage(): string {
  return `Usage: berth COMMAND [OPTIONS]

Commands:
  (see README.md)
`;
}
