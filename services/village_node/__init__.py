"""The node service: worklists, case pages and every handling action for village, township and
county-window operators. One process serves many nodes."""
