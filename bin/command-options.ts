import { type Command, Option } from 'commander'
import { SETTINGS } from './setting-list.ts'

/** Adds the flags of the settings a command takes (each also a BANZAI_* variable). */
export function withSettings(command: Command, name: string): Command {
  for (const s of SETTINGS) {
    if (!s.commands.includes(name)) continue
    command.addOption(new Option(s.flag, `${s.doc} [${s.env}, default ${JSON.stringify(s.default)}]`))
  }
  return command
}
