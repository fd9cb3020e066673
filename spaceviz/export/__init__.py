"""Images and video written from the render layer, headless or from the app."""
