"""Sound: speech (`tts`), music (`music`), captions timed to speech, and the final mix."""
