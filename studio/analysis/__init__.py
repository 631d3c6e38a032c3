"""Pure text analysis for writers: syllables and rhymes in lyrics, channel lengths of copy."""
