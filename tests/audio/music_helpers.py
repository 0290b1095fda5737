"""Signals and measurements shared by the music and mix tests (plain functions, no fixtures)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.io import wavfile
from scipy.signal import butter, sosfilt

Signal = npt.NDArray[np.float64]
SR = 48_000


def read_wav(path: Path) -> tuple[int, Signal]:
    """(sample rate, float samples of shape (n, channels)) of a PCM WAV."""
    rate, data = wavfile.read(path)
    x = np.asarray(data, dtype=np.float64)
    if data.dtype == np.int16:
        x /= 32768.0
    return int(rate), x.reshape(len(x), -1)


def write_wav(path: Path, x: Signal, rate: int = SR) -> Path:
    """Write float samples in [-1, 1] as a 16-bit WAV."""
    wavfile.write(path, rate, np.round(np.clip(x, -1, 1) * 32767).astype(np.int16))
    return path


def speech_like(seconds: float, *, seed: int, rate: int = 22_050, band=(800.0, 3000.0)) -> Signal:
    """Band-limited noise in syllable-like bursts (about 4 a second), mono, peak 0.7."""
    rng = np.random.default_rng(seed)
    n = round(seconds * rate)
    sos = butter(6, band, btype="bandpass", fs=rate, output="sos")
    noise = sosfilt(sos, rng.standard_normal(n))
    t = np.arange(n) / rate
    bursts = np.clip(np.sin(2 * np.pi * 4.0 * t) * 2 + 0.6, 0, 1) ** 2
    x = noise * bursts
    return 0.7 * x / np.abs(x).max()


def tone(seconds: float, freq: float, *, amplitude: float = 0.3, rate: int = SR) -> Signal:
    """A stereo sine."""
    t = np.arange(round(seconds * rate)) / rate
    mono = amplitude * np.sin(2 * np.pi * freq * t)
    return np.stack([mono, mono], axis=1)


def band_rms_db(x: Signal, lo: float, hi: float, rate: int = SR) -> Signal:
    """RMS level (dB) of the lo–hi Hz band of a (n, channels) signal, per 100 ms window."""
    sos = butter(4, (lo, hi), btype="bandpass", fs=rate, output="sos")
    y = sosfilt(sos, x.mean(axis=1))
    win = rate // 10
    frames = y[: len(y) // win * win].reshape(-1, win)
    return 20 * np.log10(np.sqrt((frames**2).mean(axis=1)) + 1e-12)


def spectral_centroid(x: Signal, rate: int = SR) -> float:
    """Mean spectral centroid (Hz) over 4096-sample frames."""
    mono = x.mean(axis=1)
    frames = mono[: len(mono) // 4096 * 4096].reshape(-1, 4096) * np.hanning(4096)
    mag = np.abs(np.fft.rfft(frames, axis=1))
    freqs = np.fft.rfftfreq(4096, 1 / rate)
    return float(((mag * freqs).sum(axis=1) / (mag.sum(axis=1) + 1e-12)).mean())


def _onset_strength(x: Signal, rate: int, hop: int = 512) -> Signal:
    """Positive log-spectral flux per hop."""
    mono = x.mean(axis=1)
    frames = mono[: len(mono) // hop * hop].reshape(-1, hop) * np.hanning(hop)
    mag = np.log1p(1000 * np.abs(np.fft.rfft(frames, axis=1)))
    return np.maximum(mag[1:] - mag[:-1], 0).sum(axis=1)


def onset_rate(x: Signal, rate: int = SR) -> float:
    """Onsets per second: local peaks of the spectral flux that stand out from the rest."""
    flux = _onset_strength(x, rate)
    threshold = flux.mean() + flux.std()
    peaks = (flux[1:-1] > flux[:-2]) & (flux[1:-1] >= flux[2:]) & (flux[1:-1] > threshold)
    return float(peaks.sum() / (len(x) / rate))


def tempo_bpm(x: Signal, rate: int = SR, lo: float = 50.0, hi: float = 150.0) -> float:
    """The beat tempo: the strongest autocorrelation lag of the onset strength in lo–hi BPM."""
    hop = 512
    flux = _onset_strength(x, rate, hop)
    flux = flux - flux.mean()
    ac = np.correlate(flux, flux, mode="full")[len(flux) - 1 :]
    fps = rate / hop
    lags = np.arange(int(fps * 60 / hi), int(fps * 60 / lo) + 1)
    best = lags[np.argmax(ac[lags])]
    return float(60 * fps / best)


def band_share(x: Signal, lo: float, hi: float, rate: int = SR) -> float:
    """Fraction of the signal's energy in the lo–hi Hz band."""
    mag = np.abs(np.fft.rfft(x.mean(axis=1))) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    return float(mag[(freqs >= lo) & (freqs < hi)].sum() / (mag.sum() + 1e-12))
