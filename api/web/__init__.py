"""The HTTP face: the GraphQL view and the fast path's transport, one middleware per
module, the health and interchange routes. api/app.py wires them to the domain."""
