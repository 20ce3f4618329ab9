"""rossim.systems"""
