/**
 * Flink's streaming WordCount in tsflink: lower-cases and splits text on non-word characters and
 * keeps a rolling count per word. Reads --input files (or a built-in text), writes to --output files
 * (or stdout).
 *
 * Shows: ParameterTool, fromData or FileSource input, flatMap, keyBy with a key type, a rolling
 * sum, setRuntimeMode, and print() or the exactly-once FileSink with a rolling policy.
 */
import {
  DefaultRollingPolicy,
  Duration,
  FileSink,
  FileSource,
  MemorySize,
  ParameterTool,
  SimpleStringEncoder,
  StreamExecutionEnvironment,
  TextLineInputFormat,
  Types,
  WatermarkStrategy,
  type Collector,
  type DataStream,
  type RuntimeExecutionMode,
} from 'tsflink';

/** A word and how often it was seen. */
export type WordCount = [string, number];

/** Hamlet's soliloquy (Shakespeare, public domain): the text Flink's WordCount uses without --input. */
export const WORDS: readonly string[] = [
  'To be, or not to be,--that is the question:--',
  "Whether 'tis nobler in the mind to suffer",
  'The slings and arrows of outrageous fortune',
  'Or to take arms against a sea of troubles,',
  'And by opposing end them?--To die,--to sleep,--',
  'No more; and by a sleep to say we end',
  'The heartache, and the thousand natural shocks',
  "That flesh is heir to,--'tis a consummation",
  "Devoutly to be wish'd. To die,--to sleep;--",
  "To sleep! perchance to dream:--ay, there's the rub;",
  'For in that sleep of death what dreams may come,',
  'When we have shuffled off this mortal coil,',
  "Must give us pause: there's the respect",
  'That makes calamity of so long life;',
  'For who would bear the whips and scorns of time,',
  "The oppressor's wrong, the proud man's contumely,",
  "The pangs of despis'd love, the law's delay,",
  'The insolence of office, and the spurns',
  'That patient merit of the unworthy takes,',
  'When he himself might his quietus make',
  'With a bare bodkin? who would these fardels bear,',
  'To grunt and sweat under a weary life,',
  'But that the dread of something after death,--',
  "The undiscover'd country, from whose bourn",
  'No traveller returns,--puzzles the will,',
  'And makes us rather bear those ills we have',
  'Than fly to others that we know not of?',
  'Thus conscience does make cowards of us all;',
  'And thus the native hue of resolution',
  "Is sicklied o'er with the pale cast of thought;",
  'And enterprises of great pith and moment,',
  'With this regard, their currents turn awry,',
  'And lose the name of action.--Soft you now!',
  'The fair Ophelia!--Nymph, in thy orisons',
  "Be all my sins remember'd.",
];

/** Splits a line into lower-case words (runs of [A-Za-z0-9_]) and emits (word, 1) for each. */
export function tokenize(line: string, out: Collector<WordCount>): void {
  for (const token of line.toLowerCase().split(/\W+/)) {
    if (token.length > 0) out.collect([token, 1]);
  }
}

function executionMode(params: ParameterTool): RuntimeExecutionMode {
  const mode = params.get('execution-mode', 'STREAMING').toUpperCase();
  if (mode !== 'STREAMING' && mode !== 'BATCH' && mode !== 'AUTOMATIC') {
    throw new Error(`Unknown --execution-mode '${mode}': use STREAMING, BATCH or AUTOMATIC`);
  }
  return mode;
}

export async function main(args: string[]): Promise<void> {
  const params = ParameterTool.fromArgs(args);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setRuntimeMode(executionMode(params));

  let text: DataStream<string>;
  const inputs = params.getMultiParameter('input');
  if (inputs !== undefined) {
    const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), ...inputs).build();
    text = env.fromSource(source, WatermarkStrategy.noWatermarks(), 'file-input');
  } else {
    text = env.fromData(WORDS).name('in-memory-input');
  }

  const counts = text
    .flatMap(tokenize, Types.TUPLE([Types.STRING, Types.INT]))
    .name('tokenizer')
    .keyBy((value) => value[0], Types.STRING)
    .sum(1)
    .name('counter');

  const output = params.get('output');
  if (output !== undefined) {
    const sink = FileSink.forRowFormat<WordCount>(output, new SimpleStringEncoder())
      .withRollingPolicy(
        DefaultRollingPolicy.builder().withMaxPartSize(MemorySize.ofMebiBytes(1)).withRolloverInterval(Duration.ofSeconds(10)).build(),
      )
      .build();
    counts.sinkTo(sink).name('file-sink');
  } else {
    counts.print().name('print-sink');
  }

  await env.execute('WordCount');
}
