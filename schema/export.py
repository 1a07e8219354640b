"""Write the served schema to schema/schema.graphql: `python -m schema.export`."""

from __future__ import annotations

from schema import SDL_PATH, sdl

if __name__ == "__main__":
    SDL_PATH.write_text(sdl(), encoding="utf-8")
    print(f"wrote {SDL_PATH}")
