/**
 * Flink's SocketWindowWordCount in tsflink: counts the words of a text socket in 5-second
 * processing-time windows. Start a text server first, e.g. `nc -l 9000`, then run with --port 9000.
 *
 * Shows: socketTextStream (a non-parallel source), flatMap with a Collector, keyBy, tumbling
 * processing-time windows with reduce, and print() at parallelism 1.
 */
import { ParameterTool, StreamExecutionEnvironment, TumblingProcessingTimeWindows, Duration, Types, type Collector } from 'tsflink';

/** A word and its count in one window. */
type WordWithCount = [word: string, count: number];

function splitWords(line: string, out: Collector<WordWithCount>): void {
  for (const word of line.split(/\s/)) out.collect([word, 1]);
}

export async function main(args: string[]): Promise<void> {
  let hostname: string;
  let port: number;
  try {
    const params = ParameterTool.fromArgs(args);
    hostname = params.has('hostname') ? params.get('hostname', 'localhost') : 'localhost';
    port = params.getInt('port');
  } catch {
    throw new Error(
      "No port specified. Please run 'SocketWindowWordCount --hostname <hostname> --port <port>', where hostname (localhost by default) " +
        "and port is the address of the text server. To start a simple text server, run 'netcat -l <port>' and type the input text into the command line",
    );
  }

  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const text = env.socketTextStream(hostname, port, '\n');

  const windowCounts = text
    .flatMap(splitWords, Types.TUPLE([Types.STRING, Types.LONG]))
    .keyBy((value) => value[0], Types.STRING)
    .window(TumblingProcessingTimeWindows.of(Duration.ofSeconds(5)))
    .reduce((a, b) => [a[0], a[1] + b[1]]);

  // Flink's WordWithCount prints as "word : count".
  windowCounts
    .map(([word, count]) => `${word} : ${count}`, Types.STRING)
    .name('format')
    .print()
    .setParallelism(1);

  await env.execute('Socket Window WordCount');
}
