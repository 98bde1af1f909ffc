#!/usr/bin/env perl
# Writes a NumPy .npy file to standard output: heat spreading over a square plate whose
# edges are held cold, from a heater kept hot and two warm spots that cool, by the
# explicit finite-difference scheme of the heat equation. Shape (frames, 48, 48), float32 temperatures from 0 to about 1, row i
# at the i-th y as np.meshgrid lays out Z. Deterministic; perl only, so no Python is needed.
#   perl scenes/generators/heat.pl > scenes/assets/heat.npy
use strict;
use warnings;

my ($T, $N) = (60, 48);
my $steps = 4;          # solver steps per frame
my $r = 0.2;            # alpha * dt / dx^2, below 0.25 for a stable explicit scheme

my @u;
for my $y (0 .. $N - 1) {
    for my $x (0 .. $N - 1) {
        my $v = 0;
        for my $spot ([32, 30, 0.9], [12, 36, 0.7]) {
            my ($sx, $sy, $a) = @$spot;
            my $d2 = ($x - $sx) ** 2 + ($y - $sy) ** 2;
            $v += $a * exp(-$d2 / 10);
        }
        $u[$y][$x] = ($x == 0 || $y == 0 || $x == $N - 1 || $y == $N - 1) ? 0 : $v;
    }
}
# The heater: a disc of radius 3 held at 1.
my @heater = grep { ($_->[0] - 14) ** 2 + ($_->[1] - 16) ** 2 <= 9 }
    map { my $y = $_; map { [$_, $y] } 0 .. $N - 1 } 0 .. $N - 1;
$u[$_->[1]][$_->[0]] = 1 for @heater;

my $header = "{'descr': '<f4', 'fortran_order': False, 'shape': ($T, $N, $N), }";
$header .= ' ' while (10 + length($header) + 1) % 64;
$header .= "\n";
binmode STDOUT;
print "\x93NUMPY\x01\x00", pack('v', length $header), $header;

for my $frame (0 .. $T - 1) {
    print pack('f<*', map { @$_ } @u);
    for (1 .. $steps) {
        my @next = map { [@$_] } @u;
        for my $y (1 .. $N - 2) {
            for my $x (1 .. $N - 2) {
                $next[$y][$x] = $u[$y][$x] + $r * ($u[$y - 1][$x] + $u[$y + 1][$x]
                    + $u[$y][$x - 1] + $u[$y][$x + 1] - 4 * $u[$y][$x]);
            }
        }
        $next[$_->[1]][$_->[0]] = 1 for @heater;
        @u = @next;
    }
}
