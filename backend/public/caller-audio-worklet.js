// Audio thread of the caller page: captures the microphone in 20 ms frames of 16 kHz
// samples, and plays the backend's audio in order, reporting each mark once the audio
// queued before it has been played (that is how the backend learns what was heard).
class CallerAudio extends AudioWorkletProcessor {
  constructor() {
    super();
    this.capture = new Int16Array(320);
    this.captured = 0;
    this.queue = []; // { pcm: Float32Array, at: number } | { mark: string }
    this.port.onmessage = (e) => {
      const m = e.data;
      if (m.type === 'play') this.queue.push({ pcm: m.pcm, at: 0 });
      else if (m.type === 'mark') this.queue.push({ mark: m.name });
      else if (m.type === 'clear') this.queue = [];
    };
  }

  process(inputs, outputs) {
    const input = inputs[0] && inputs[0][0];
    if (input) {
      for (let i = 0; i < input.length; i++) {
        const s = Math.max(-1, Math.min(1, input[i]));
        this.capture[this.captured++] = s < 0 ? s * 0x8000 : s * 0x7fff;
        if (this.captured === this.capture.length) {
          this.port.postMessage({ type: 'capture', pcm: this.capture }, [this.capture.buffer]);
          this.capture = new Int16Array(320);
          this.captured = 0;
        }
      }
    }
    const out = outputs[0] && outputs[0][0];
    if (out) {
      let written = 0;
      while (written < out.length && this.queue.length > 0) {
        const head = this.queue[0];
        if (head.mark !== undefined) {
          this.port.postMessage({ type: 'mark', name: head.mark });
          this.queue.shift();
          continue;
        }
        const n = Math.min(out.length - written, head.pcm.length - head.at);
        out.set(head.pcm.subarray(head.at, head.at + n), written);
        head.at += n;
        written += n;
        if (head.at >= head.pcm.length) this.queue.shift();
      }
      // Marks right after the last audio are reported once that audio has played.
      while (this.queue.length > 0 && this.queue[0].mark !== undefined) {
        this.port.postMessage({ type: 'mark', name: this.queue[0].mark });
        this.queue.shift();
      }
      for (let i = written; i < out.length; i++) out[i] = 0;
      for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(out);
    }
    return true;
  }
}
registerProcessor('caller-audio', CallerAudio);
