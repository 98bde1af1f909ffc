#!/usr/bin/env perl
# Writes a CSV file to standard output: the Lorenz attractor (sigma 10, rho 28, beta 8/3)
# from (1, 1, 1), 2500 steps of 0.01 by fourth-order Runge-Kutta, one row per step, as a
# numpy ODE solver would save it. Deterministic; perl only (perl-base is on every
# Debian-like system), so no Python is needed.
#   perl scenes/generators/lorenz.pl > scenes/assets/lorenz.csv
use strict;
use warnings;

my ($sigma, $rho, $beta) = (10, 28, 8 / 3);
my ($dt, $steps) = (0.01, 2500);

sub slope {
    my ($x, $y, $z) = @_;
    return ($sigma * ($y - $x), $x * ($rho - $z) - $y, $x * $y - $beta * $z);
}

my @p = (1, 1, 1);
print "time,x,y,z\n";
for my $i (0 .. $steps - 1) {
    printf "%.2f,%.4f,%.4f,%.4f\n", $i * $dt, @p;
    my @k1 = slope(@p);
    my @k2 = slope(map { $p[$_] + $dt / 2 * $k1[$_] } 0 .. 2);
    my @k3 = slope(map { $p[$_] + $dt / 2 * $k2[$_] } 0 .. 2);
    my @k4 = slope(map { $p[$_] + $dt * $k3[$_] } 0 .. 2);
    @p = map { $p[$_] + $dt / 6 * ($k1[$_] + 2 * $k2[$_] + 2 * $k3[$_] + $k4[$_]) } 0 .. 2;
}
