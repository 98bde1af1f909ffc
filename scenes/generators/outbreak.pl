#!/usr/bin/env perl
# Writes a NumPy .npy file to standard output: an outbreak spreading over a grid, in the
# spirit of the article's zombie simulation of France. Shape (frames, 48, 64), float32:
# the infected share of each cell's population, 0 to 1, NaN at sea. Deterministic; perl only
# (perl-base is on every Debian-like system), so no Python is needed.
#   perl scenes/generators/outbreak.pl > scenes/assets/outbreak.npy
use strict;
use warnings;

my ($T, $H, $W) = (40, 48, 64);
my $steps = 3;          # simulation steps per frame
my ($beta, $gamma, $d) = (1.6, 0.12, 0.22);

# Population density: an irregular land mass, empty sea around it.
my (@S, @I, @pop);
for my $y (0 .. $H - 1) {
    for my $x (0 .. $W - 1) {
        my ($u, $v) = (($x - 30) / 26, ($y - 24) / 20);
        my $r = $u * $u + $v * $v + 0.15 * sin(5 * $u) * cos(4 * $v);
        my $p = $r < 1 ? 0.4 + 0.6 * (0.5 + 0.5 * cos(3 * $u + 2 * $v)) : 0;
        $pop[$y][$x] = $p;
        $S[$y][$x] = $p;
        $I[$y][$x] = 0;
    }
}
# Patient zero, in the north-east.
$I[14][44] = 0.3 * $pop[14][44];
$S[14][44] -= $I[14][44];

my $nan = 9**9**9;
$nan -= $nan;
my $header = "{'descr': '<f4', 'fortran_order': False, 'shape': ($T, $H, $W), }";
$header .= ' ' while (10 + length($header) + 1) % 64;
$header .= "\n";
binmode STDOUT;
print "\x93NUMPY\x01\x00", pack('v', length $header), $header;

for my $frame (0 .. $T - 1) {
    my @share;
    for my $y (0 .. $H - 1) {
        for my $x (0 .. $W - 1) {
            my $p = $pop[$y][$x];
            push @share, $p > 0 ? $I[$y][$x] / $p : $nan;    # sea: no value
        }
    }
    print pack('f<*', @share);
    for (1 .. $steps) {
        my (@S2, @I2);
        for my $y (0 .. $H - 1) {
            for my $x (0 .. $W - 1) {
                my ($s, $i, $p) = ($S[$y][$x], $I[$y][$x], $pop[$y][$x]);
                if ($p == 0) { ($S2[$y][$x], $I2[$y][$x]) = (0, 0); next }
                my ($sum, $n) = (0, 0);
                for my $o ([-1, 0], [1, 0], [0, -1], [0, 1]) {
                    my ($yy, $xx) = ($y + $o->[0], $x + $o->[1]);
                    next if $yy < 0 || $yy >= $H || $xx < 0 || $xx >= $W;
                    $sum += $I[$yy][$xx];
                    $n++;
                }
                my $near = $i + $d * ($sum / $n - $i);
                my $new = $beta * $s * $near / $p * 0.5;
                $new = $s if $new > $s;
                $S2[$y][$x] = $s - $new;
                $I2[$y][$x] = $i + $new - $gamma * $i * 0.5;
            }
        }
        @S = @S2;
        @I = @I2;
    }
}
