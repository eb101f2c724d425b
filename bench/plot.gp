# SPDX-License-Identifier: ISC
# Time to first screen on a cold open against N, one line per client
# (min and pons-sync: all headers fetched, no screen; pons(all-headers): the
# status line counts every message).  bench/report.py writes the
# data; run as: gnuplot -e "dir='bench/results'" bench/plot.gp
if (!exists("dir")) dir = "bench/results"
set terminal pngcairo size 900,560 noenhanced
set output dir."/first-screen.png"
set title "IMAPS cold open: launch to newest subject on screen (median)"
set xlabel "messages in INBOX (N)"
set ylabel "seconds"
set logscale x
set logscale y
set key top left
set grid
set datafile missing "NaN"
plot for [i=2:7] dir."/first-screen.dat" using 1:i with linespoints \
	lw 2 pt 7 title columnheader(i)
