"""Turning article text into claims and attributions (extraction lives in ``extract``)."""
