#!/usr/bin/env python3
"""Writes scenes/data/pendulum.csv, the motion scenes/pendulum.toml draws.

A damped pendulum, theta'' = -(g/L) sin(theta) - c theta', released at rest from
2.5 rad, integrated by fourth-order Runge-Kutta: one row every 0.04 s for 20 s
(columns time, theta in rad, omega in rad/s). Standard library only.
  python3 scenes/generators/pendulum.py
"""
import math
import os

G_L, C, DT, STEPS = 9.81, 0.25, 0.04, 500


def slope(theta, omega):
    return omega, -G_L * math.sin(theta) - C * omega


path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "pendulum.csv")
theta, omega = 2.5, 0.0
with open(path, "w") as out:
    out.write("time,theta,omega\n")
    for k in range(STEPS + 1):
        out.write(f"{k * DT:.2f},{theta:.5f},{omega:.5f}\n")
        k1 = slope(theta, omega)
        k2 = slope(theta + DT / 2 * k1[0], omega + DT / 2 * k1[1])
        k3 = slope(theta + DT / 2 * k2[0], omega + DT / 2 * k2[1])
        k4 = slope(theta + DT * k3[0], omega + DT * k3[1])
        theta += DT / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        omega += DT / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
