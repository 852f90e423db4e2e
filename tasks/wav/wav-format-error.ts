import { ValidationError } from '../../core/domain/index.ts'

/** A WAV file that cannot be read; the message is the human reason ("no fmt chunk"). */
export class WavFormatError extends ValidationError {
  constructor(message: string) {
    super(message)
    this.name = 'WavFormatError'
  }
}
