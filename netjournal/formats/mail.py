"""stub"""
READERS = ()
