/** Forwards only watermarks that advance, as Flink's operators do. */
import { MIN_WATERMARK } from '../task-contract.js';
import type { WatermarkOutput } from './watermark-strategy.js';

/** Emits a watermark downstream only when it is higher than the last one. */
export class WatermarkEmitter implements WatermarkOutput {
  current = MIN_WATERMARK;
  constructor(private readonly emit: (watermark: number) => void) {}
  emitWatermark(watermark: number): void {
    if (watermark > this.current) {
      this.current = watermark;
      this.emit(watermark);
    }
  }
}
