#!/usr/bin/env perl
# Writes a WAV file to standard output: 12 s of 16-bit mono sound at 22050 Hz, a tone
# that steps through A, C#, E and A an octave up every half second (an arpeggio to
# hear the soundtrack of scenes/soundtrack.toml fade and duck). Deterministic; perl
# only, so no Python is needed.
#   perl scenes/generators/music.pl > scenes/assets/music.wav
use strict;
use warnings;

my ($rate, $seconds) = (22050, 12);
my @notes = (440, 554.37, 659.26, 880);
my $n = $rate * $seconds;
binmode STDOUT;
print "RIFF", pack("V", 36 + 2 * $n), "WAVE";
print "fmt ", pack("VvvVVvv", 16, 1, 1, $rate, 2 * $rate, 2, 16);
print "data", pack("V", 2 * $n);
my $pi = 4 * atan2(1, 1);
for my $i (0 .. $n - 1) {
    my $t = $i / $rate;
    my $f = $notes[int($t * 2) % @notes];
    # each note swells in and decays over its half second, so the steps do not click
    my $in = $t * 2 - int($t * 2);
    my $env = ($in < 0.02 ? $in / 0.02 : 1) * exp(-3 * $in);
    print pack("v", int(12000 * $env * sin(2 * $pi * $f * $t)) & 0xffff);
}
