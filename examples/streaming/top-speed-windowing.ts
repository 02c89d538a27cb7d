/**
 * Flink's TopSpeedWindowing example in tsflink: for each car, every time it has driven another 50 m,
 * report the fastest record of its last 10 seconds. Cars come from a generator (2 cars, 10 records/s
 * per source subtask) or, with --input, from text files of `(carId,speed,distance,timestamp)` lines;
 * results go to stdout or, with --output, into files.
 *
 * Shows: DataGeneratorSource with a rate limit and a stateful generator object, FileSource,
 * event timestamps and watermarks, GlobalWindows with a DeltaTrigger and a TimeEvictor, maxBy, and
 * the exactly-once FileSink with a rolling policy.
 */
import {
  DataGeneratorSource,
  DeltaTrigger,
  DefaultRollingPolicy,
  Duration,
  FileSink,
  FileSource,
  GlobalWindows,
  MemorySize,
  ParameterTool,
  SimpleStringEncoder,
  StreamExecutionEnvironment,
  TextLineInputFormat,
  TimeEvictor,
  Types,
  WatermarkStrategy,
  type DataStream,
  type RuntimeExecutionMode,
} from 'tsflink';

/** carId, speed (km/h), distance (m), timestamp (epoch ms). */
type CarEvent = [number, number, number, number];

const CAR_TYPE = Types.TUPLE([Types.INT, Types.INT, Types.DOUBLE, Types.LONG]);
const EVICTION_SEC = 10;
const TRIGGER_METERS = 50;

/**
 * Flink's CarGeneratorFunction, quirks included: it updates the current car, then returns the
 * *next* car's values (last updated one call earlier) stamped with the current time.
 */
export class CarGeneratorFunction {
  private readonly speeds: number[];
  private readonly distances: number[];
  private readonly lastUpdate: number[];
  private nextCar = 0;

  constructor(numOfCars: number) {
    this.speeds = new Array<number>(numOfCars).fill(50);
    this.distances = new Array<number>(numOfCars).fill(0);
    this.lastUpdate = new Array<number>(numOfCars).fill(0);
  }

  map(_index: number): CarEvent {
    const car = this.nextCar;
    this.speeds[car] = Math.random() < 0.5 ? Math.min(100, this.speeds[car]! + 5) : Math.max(0, this.speeds[car]! - 5);
    const now = Date.now();
    const timeDiffMillis = this.lastUpdate[car] === 0 ? 0 : now - this.lastUpdate[car]!;
    this.lastUpdate[car] = now;
    // The factor 10 keeps the old source's pace.
    this.distances[car] = this.distances[car]! + this.speeds[car] * (timeDiffMillis / 3_600_000) * 1000 * 10;
    this.nextCar = (this.nextCar + 1) % this.speeds.length;
    return [this.nextCar, this.speeds[this.nextCar]!, this.distances[this.nextCar]!, now];
  }
}

/** Parses `(carId,speed,distance,timestamp)`: drops the first and last character, splits on ','. */
function parseCar(line: string): CarEvent {
  const data = line.substring(1, line.length - 1).split(',');
  return [parseInt(data[0]!, 10), parseInt(data[1]!, 10), Number(data[2]), Number(data[3])];
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

  let carData: DataStream<CarEvent>;
  const inputs = params.getMultiParameter('input');
  if (inputs !== undefined) {
    const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), ...inputs).build();
    carData = env.fromSource(source, WatermarkStrategy.noWatermarks(), 'file-input').map(parseCar, CAR_TYPE).name('parse-input');
  } else {
    const generator = new DataGeneratorSource<CarEvent>(new CarGeneratorFunction(2), Number.MAX_SAFE_INTEGER, 10, CAR_TYPE);
    carData = env.fromSource(generator, WatermarkStrategy.noWatermarks(), 'Car data generator source').setParallelism(1);
  }

  const topSpeeds = carData
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<CarEvent>().withTimestampAssigner((car) => car[3]))
    .keyBy((car) => car[0], Types.INT)
    .window(GlobalWindows.create())
    .evictor(TimeEvictor.of(Duration.ofSeconds(EVICTION_SEC)))
    .trigger(DeltaTrigger.of(TRIGGER_METERS, (oldCar: CarEvent, newCar: CarEvent) => newCar[2] - oldCar[2], CAR_TYPE))
    .maxBy(1);

  const output = params.get('output');
  if (output !== undefined) {
    const sink = FileSink.forRowFormat<CarEvent>(output, new SimpleStringEncoder())
      .withRollingPolicy(
        DefaultRollingPolicy.builder().withMaxPartSize(MemorySize.ofMebiBytes(1)).withRolloverInterval(Duration.ofSeconds(10)).build(),
      )
      .build();
    topSpeeds.sinkTo(sink).name('file-sink');
  } else {
    topSpeeds.print();
  }

  await env.execute('CarTopSpeedWindowingExample');
}
